import { newKey, open, seal, type Sealed } from '@alert-exchange/platform';
import { toAlertEvent, type CaseBody } from './domain/alert-body';
import { exampleMeta, readExample } from './examples.test-helper';
import { minimiseAlert, VIEW_LEVELS } from './domain/minimisation';
import { openEvent, openView, sealEvent, sealView, type PersonalSealer } from './personal-envelope';

/** A sealer with one key per case in memory, real AES-256-GCM; `destroy` erases a case. */
class MemorySealer implements PersonalSealer {
  private readonly keys = new Map<string, Buffer>();
  seal(caseId: string, plain: Buffer): Promise<Sealed> {
    const key = this.keys.get(caseId) ?? newKey();
    this.keys.set(caseId, key);
    return Promise.resolve(seal(plain, key, `key-of-${caseId}`, caseId));
  }
  open(caseId: string, sealed: Sealed): Promise<Buffer | undefined> {
    const key = this.keys.get(caseId);
    return Promise.resolve(key && open(sealed, key, caseId));
  }
  destroy(caseId: string): void {
    this.keys.delete(caseId);
  }
}

const meta = exampleMeta;
const body = (file: string): CaseBody => readExample<CaseBody>(file);
const NAME_OF = (event: ReturnType<typeof toAlertEvent>): string =>
  event.personal.clear!.names[0]!.given;

describe('the personal envelope, sealed before Kafka and opened only in memory', () => {
  it.each([
    'raise-runaway.json',
    'raise-missing-migrant-minor.json',
    'raise-parental-abduction.json',
  ])('seals %s so that no name is left in the clear, and opens it to what it was', async (file) => {
    const sealer = new MemorySealer();
    const event = toAlertEvent(body(file), meta);
    const sealed = await sealEvent(event, sealer);
    expect(sealed.personal.encoding).toBe('AES_256_GCM');
    expect(sealed.personal.clear).toBeNull();
    expect(sealed.personal.ciphertext!.includes(Buffer.from(NAME_OF(event)))).toBe(false);
    expect(JSON.stringify({ ...sealed.personal, ciphertext: null })).not.toContain(NAME_OF(event));
    expect(await openEvent(sealed, sealer)).toEqual(event);
    // Sealing twice changes nothing; opening a clear event changes nothing.
    expect(await sealEvent(sealed, sealer)).toBe(sealed);
    expect(await openEvent(event, sealer)).toBe(event);
  });

  it('opens an erased case to the ERASED envelope: nothing personal, nothing guessed', async () => {
    const sealer = new MemorySealer();
    const sealed = await sealEvent(toAlertEvent(body('raise-runaway.json'), meta), sealer);
    sealer.destroy(meta.caseId);
    const opened = await openEvent(sealed, sealer);
    expect(opened.personal).toEqual({
      encoding: 'ERASED',
      keyId: null,
      iv: null,
      ciphertext: null,
      clear: null,
    });
    expect(minimiseAlert(opened, 'IDENTIFY_SPECIAL').personal).toBeUndefined();
  });

  it.each(VIEW_LEVELS)(
    'seals a recipient’s %s view for the deliveries topic and opens it to the same view',
    async (level) => {
      const sealer = new MemorySealer();
      const event = toAlertEvent(body('raise-missing-migrant-minor.json'), meta);
      const view = minimiseAlert(event, level);
      const sealed = await sealView(view, sealer);
      expect('personal' in sealed).toBe(false);
      expect(JSON.stringify(sealed)).not.toContain(NAME_OF(event));
      expect(sealed.sealedPersonal === undefined).toBe(view.personal === undefined);
      expect(await openView(JSON.parse(JSON.stringify(sealed)), sealer)).toEqual(view);
    },
  );

  it('opens the view of an erased case without its personal part', async () => {
    const sealer = new MemorySealer();
    const view = minimiseAlert(toAlertEvent(body('raise-runaway.json'), meta), 'IDENTIFY');
    const sealed = await sealView(view, sealer);
    sealer.destroy(meta.caseId);
    const { personal, ...rest } = view;
    expect(personal).toBeDefined();
    expect(await openView(sealed, sealer)).toEqual(rest);
  });
});
