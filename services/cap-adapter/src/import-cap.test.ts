import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@alert-exchange/platform';
import { capExample } from './cap.test-helper';
import type { CaseExchange } from './exchange/case-exchange';
import { exportCap } from './export-cap';
import { importCap } from './import-cap';
import { MessageStore } from './store/message-store';

const CASE_ID = '6f1c2b4e-8a43-4f7e-9d0a-1b2c3d4e5f60';

/** An exchange that accepts everything and remembers what it was sent. */
function fakeExchange() {
  const sent: Array<{ caseId?: string; body: any; idempotencyKey: string }> = [];
  let n = 0;
  const accept = () => ({ caseId: CASE_ID, eventId: `00000000-0000-4000-8000-00000000000${n++}` });
  const exchange: CaseExchange = {
    publishAlert: async (body, { idempotencyKey }) => {
      sent.push({ body, idempotencyKey });
      return accept();
    },
    publishEvent: async (caseId, body, { idempotencyKey }) => {
      sent.push({ caseId, body, idempotencyKey });
      return accept();
    },
    getCase: async () => ({}),
  };
  return { exchange, sent };
}

const stateFile = () => join(mkdtempSync(join(tmpdir(), 'cap-adapter-')), 'messages.json');

describe('importing CAP files through the exchange', () => {
  it('an Update and a Cancel find the case of the Alert they reference, also after a restart', async () => {
    const file = stateFile();
    const { exchange, sent } = fakeExchange();
    const raised = await importCap(capExample('alert-runaway.xml'), {
      exchange,
      store: await MessageStore.open(file),
    });
    expect(raised).toMatchObject({ caseId: CASE_ID, msgType: 'Alert', published: true });
    // A new process: the mapping comes from the file.
    const store = await MessageStore.open(file);
    await importCap(capExample('update-runaway.xml'), { exchange, store });
    await importCap(capExample('cancel-runaway.xml'), { exchange, store });
    expect(sent.map((s) => [s.caseId, s.body.type])).toEqual([
      [undefined, undefined],
      [CASE_ID, 'UPDATED'],
      [CASE_ID, 'WITHDRAWN'],
    ]);
    expect(store.history(CASE_ID).map((m) => m.identifier)).toEqual([
      'DE-BER-2026-00417',
      'DE-BER-2026-00417-U1',
      'DE-BER-2026-00417-C1',
    ]);
  });

  it('importing the same message twice publishes it once; retries carry one Idempotency-Key', async () => {
    const { exchange, sent } = fakeExchange();
    const store = await MessageStore.open(stateFile());
    await importCap(capExample('alert-runaway.xml'), { exchange, store });
    const again = await importCap(capExample('alert-runaway.xml'), { exchange, store });
    expect(again.published).toBe(false);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.idempotencyKey).toMatch(/^cap-[0-9a-f]{64}$/);
  });

  it('a document that cannot be mapped is an InputError naming the CAP element', async () => {
    const { exchange, sent } = fakeExchange();
    const store = await MessageStore.open(stateFile());
    const attempt = importCap(capExample('update-runaway.xml'), { exchange, store });
    await expect(attempt).rejects.toBeInstanceOf(InputError);
    await expect(attempt).rejects.toMatchObject({
      errors: [expect.objectContaining({ path: '/alert/references' })],
    });
    expect(sent).toEqual([]);
  });

  it("the gateway's refusal of a field is reported by the CAP element that carried it", async () => {
    const refusing: CaseExchange = {
      ...fakeExchange().exchange,
      publishAlert: async () => {
        throw Object.assign(new Error('400'), {
          status: 400,
          errors: [
            { path: '/child/dateOfBirth', message: 'must be a date' },
            { path: '/countries/caseCountry', message: 'must be a country the exchange serves' },
            { path: '/occurredAt', message: 'must not be in the future' },
          ],
        });
      },
    };
    const attempt = importCap(capExample('alert-runaway.xml'), {
      exchange: refusing,
      store: await MessageStore.open(stateFile()),
    });
    await expect(attempt).rejects.toMatchObject({
      errors: [
        {
          path: "/alert/info[1]/parameter[valueName='/child/dateOfBirth']",
          message: 'must be a date',
        },
        { path: '/alert/info[1]/area', message: 'must be a country the exchange serves' },
        { path: '/alert/sent', message: 'must not be in the future' },
      ],
    });
  });

  it('a recipient, who sees the case minimised, cannot export it', async () => {
    const { exchange } = fakeExchange();
    const attempt = exportCap(CASE_ID, {
      exchange: { ...exchange, getCase: async () => ({ viewLevel: 'SPOT', alert: {} }) },
      store: await MessageStore.open(stateFile()),
      recipients: ['hotline-at'],
      sender: 'alert-exchange',
    });
    await expect(attempt).rejects.toThrow(/raised the case or an operator/);
  });
});
