import { capExample, jsonExample, schemaErrors, storedView } from '../cap.test-helper';
import { messageKey, parseAddresses, parseReferences } from './cap-model';
import { capToExchange } from './cap-to-exchange';
import { exchangeToCap, type CapMessageRecord, type CaseView } from './exchange-to-cap';
import { readCap } from './read-cap';
import { writeCap } from './write-cap';

const SENDER = 'alert-exchange';
const RECIPIENTS = ['hotline-at', 'ngo-fr-1', 'mediators network'];

const exported = (view: CaseView, history: CapMessageRecord[] = [], languages?: string[]) =>
  writeCap(exchangeToCap(view, { recipients: RECIPIENTS, sender: SENDER, history, languages }));

const reread = (xml: string) => {
  const alert = readCap(xml);
  if (!alert.ok) throw new Error(JSON.stringify(alert.problems));
  return alert.value;
};

describe('exporting a case as CAP 1.2', () => {
  const cases = [
    'raise-runaway.json',
    'raise-parental-abduction.json',
    'raise-missing-migrant-minor.json',
    'raise-third-party-abduction.json',
    'raise-lost-injured-other.json',
  ].flatMap((file) =>
    (['OPEN', 'RESOLVED', 'WITHDRAWN'] as const).map((status) => [file, status] as const),
  );

  it.each(cases)('%s (%s) validates against the OASIS CAP 1.2 schema', async (file, status) => {
    const view = storedView(jsonExample(file) as any, {
      status,
      eventCount: status === 'OPEN' ? 1 : 3,
    });
    const xml = exported(view, [], ['en', 'fr', 'el']);
    expect(await schemaErrors(xml)).toEqual([]);
    const alert = reread(xml);
    expect(alert.msgType).toBe({ OPEN: 'Alert', RESOLVED: 'Update', WITHDRAWN: 'Cancel' }[status]);
    expect(alert.scope).toBe('Restricted');
    expect(alert.restriction).toMatch(/addressed organisations only/);
    expect(parseAddresses(alert.addresses)).toEqual(RECIPIENTS);
    expect(alert.addresses).toContain('"mediators network"');
  });

  it('writes one info block per language of the descriptions and per language asked for', () => {
    const view = storedView(jsonExample('raise-runaway.json') as any);
    const alert = reread(exported(view, [], ['fr', 'de']));
    expect(alert.info.map((i) => [i.language, i.description ?? null])).toEqual([
      ['en', '1.58 m, slim, long dark hair, red anorak, grey backpack'],
      ['de', '1,58 m, schlank, lange dunkle Haare, rote Jacke'],
      ['fr', null],
    ]);
  });

  it('a case the exchange raised is urn:uuid:<caseId>; later states refer back to it', () => {
    const first = storedView(jsonExample('raise-runaway.json') as any);
    expect(reread(exported(first))).toMatchObject({
      identifier: `urn:uuid:${first.caseId}`,
      sender: SENDER,
      references: undefined,
    });
    const later = { ...first, eventCount: 2, lastEventId: 'a3f1c0de-0000-4000-8000-000000000002' };
    const alert = reread(exported(later));
    expect(alert.identifier).toBe('urn:uuid:a3f1c0de-0000-4000-8000-000000000002');
    expect(parseReferences(alert.references)).toEqual([
      { sender: SENDER, identifier: `urn:uuid:${first.caseId}`, sent: '2026-11-20T18:31:00+00:00' },
    ]);
  });

  it('a resolved case says AllClear and its outcome; a withdrawn one gives the reason as note', () => {
    const body = jsonExample('raise-runaway.json') as any;
    const resolved = reread(exported(storedView(body, { status: 'RESOLVED', eventCount: 2 })));
    expect(resolved.info[0]).toMatchObject({ responseType: ['AllClear'], urgency: 'Past' });
    expect(resolved.info[0]!.parameter).toContainEqual({
      valueName: '/resolution/outcome',
      value: 'FOUND_SAFE',
    });
    const withdrawn = reread(exported(storedView(body, { status: 'WITHDRAWN', eventCount: 2 })));
    expect(withdrawn.note).toBe('Reported in error & withdrawn');
  });
});

describe('round trips: CAP → exchange → stored by the gateway → CAP', () => {
  /** Imports `file` as the gateway would store it, then exports it again. */
  function roundTrip(files: string[]) {
    const known = new Map<string, string>();
    const history: CapMessageRecord[] = [];
    let view: CaseView | undefined;
    files.forEach((file, i) => {
      const request = capToExchange(reread(capExample(file)), known);
      if (!request.ok) throw new Error(JSON.stringify(request.problems));
      const { body, message } = request.value;
      const eventId = `00000000-0000-4000-8000-00000000000${i}`;
      if (!('category' in body)) throw new Error('only raises and updates here');
      view = storedView(body, { eventId, eventCount: i + 1 });
      known.set(messageKey(message), view.caseId);
      history.push({ ...message, eventId });
    });
    return { view: view!, history };
  }

  it.each([
    [['alert-runaway.xml']],
    [['alert-parental-abduction.xml']],
    [['alert-runaway.xml', 'update-runaway.xml']],
  ])(
    '%j keeps identifier, references, languages and every field that maps both ways',
    async (files) => {
      const { view, history } = roundTrip(files);
      const original = reread(capExample(files[files.length - 1]!));
      const xml = exported(view, history);
      expect(await schemaErrors(xml)).toEqual([]);
      const again = reread(xml);
      expect([again.sender, again.identifier, again.sent]).toEqual([
        original.sender,
        original.identifier,
        original.sent,
      ]);
      expect(again.msgType).toBe(original.msgType);
      expect(parseReferences(again.references)).toEqual(parseReferences(original.references));
      expect(again.info.filter((i) => i.description).map((i) => i.language)).toEqual(
        original.info.filter((i) => i.description).map((i) => i.language),
      );
      // Imported again and stored again, the case is the same case.
      const known = new Map(history.map((h) => [messageKey(h), view.caseId]));
      const reimported = capToExchange(again, known);
      if (!reimported.ok) throw new Error(JSON.stringify(reimported.problems));
      const { type: _type, ...body } = reimported.value.body as any;
      expect(storedView(body, { eventId: view.lastEventId, eventCount: view.eventCount })).toEqual(
        view,
      );
    },
  );
});

describe('the schema check itself', () => {
  it.each([
    'alert-runaway.xml',
    'alert-parental-abduction.xml',
    'update-runaway.xml',
    'cancel-runaway.xml',
  ])('the example %s is valid CAP 1.2', async (file) => {
    expect(await schemaErrors(capExample(file))).toEqual([]);
  });

  it('refuses what OASIS refuses: a sent time in Z, an element out of order', async () => {
    const example = capExample('cancel-runaway.xml');
    expect(await schemaErrors(example.replace('+01:00</sent>', 'Z</sent>'))).not.toEqual([]);
    expect(
      await schemaErrors(
        example.replace(
          '<status>Actual</status>\n  <msgType>Cancel</msgType>',
          '<msgType>Cancel</msgType><status>Actual</status>',
        ),
      ),
    ).not.toEqual([]);
  });
});
