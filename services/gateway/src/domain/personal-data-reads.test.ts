import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  minimiseAlert,
  toAlertEvent,
  webhookBody,
  type CaseBody,
  type Delivery,
  type ViewLevel,
  type WebhookBody,
} from '@alert-exchange/contracts';
import { foldCase, fullCaseView, routedCaseView } from './case-state';
import {
  personalDataReads,
  shownInCaseView,
  shownInDeliveries,
  type ReadContext,
  type ShownCase,
} from './personal-data-reads';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'schemas', 'examples');
const body = JSON.parse(readFileSync(join(EXAMPLES, 'raise-runaway.json'), 'utf8')) as CaseBody;
const caseId = '0b8e7d6c-5a4f-4321-8fed-cba987654321';
const eventId = '6f1c2a9e-3b7d-4e51-9a0c-1d2e3f405162';
const event = toAlertEvent(body, {
  caseId,
  eventId,
  eventType: 'RAISED',
  publishedAt: Date.parse('2026-11-22T12:00:00.000Z'),
  originatingOrganisation: 'ngo-de',
});
const state = foldCase([event])!;

/** A delivery of the case to hotline-at as the router writes it, at `level` (null: a notice). */
function delivery(deliveryId: string, level: ViewLevel | null): WebhookBody {
  const record: Delivery = {
    deliveryId,
    eventId,
    caseId,
    recipientId: 'hotline-at',
    recipientRoles: ['HOTLINE'],
    mode: 'PULL',
    eventType: level ? 'RAISED' : 'ESCALATION',
    category: 'RUNAWAY',
    urgency: 'IMMEDIATE',
    reasons: [],
    routedAt: 0,
    ackBy: 0,
    sequence: 1,
    viewLevel: level,
    alert: level ? JSON.stringify(minimiseAlert(event, level)) : null,
  };
  return webhookBody(record);
}
const d1 = '11111111-1111-4111-8111-111111111111';
const d2 = '22222222-2222-4222-8222-222222222222';
const d3 = '33333333-3333-4333-8333-333333333333';

describe('what a read shows', () => {
  it.each<[string, () => ShownCase[], ShownCase[]]>([
    [
      'the whole case, to its originator or an operator',
      () => [shownInCaseView(fullCaseView(state))],
      [{ caseId, deliveryId: null, eventId, viewLevel: 'FULL' }],
    ],
    [
      'the case as routed to a recipient, at its level',
      () => [shownInCaseView(routedCaseView(state, 'SPOT'))],
      [{ caseId, deliveryId: null, eventId, viewLevel: 'SPOT' }],
    ],
    [
      'a NOTICE view: public facts of one child are still shown',
      () => [shownInCaseView(routedCaseView(state, 'NOTICE'))],
      [{ caseId, deliveryId: null, eventId, viewLevel: 'NOTICE' }],
    ],
    [
      'an inbox page: each delivery with an alert, in order; an operator notice carries none',
      () =>
        shownInDeliveries([
          delivery(d1, 'IDENTIFY_SPECIAL'),
          delivery(d2, null),
          delivery(d3, 'NOTICE'),
        ]),
      [
        { caseId, deliveryId: d1, eventId, viewLevel: 'IDENTIFY_SPECIAL' },
        { caseId, deliveryId: d3, eventId, viewLevel: 'NOTICE' },
      ],
    ],
    [
      'a delivery whose alert does not name its level',
      () => shownInDeliveries([{ ...delivery(d1, 'SPOT'), alert: {} as WebhookBody['alert'] }]),
      [{ caseId, deliveryId: d1, eventId, viewLevel: 'UNKNOWN' }],
    ],
    ['an empty page, or only notices', () => shownInDeliveries([delivery(d2, null)]), []],
  ])('%s', (_what, shown, expected) => {
    expect(shown()).toEqual(expected);
  });
});

describe('the records of a read', () => {
  const context: ReadContext = {
    reader: 'hotline-at',
    via: 'INBOX',
    at: Date.parse('2026-11-22T12:05:00.000Z'),
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  };
  let n = 0;
  const ids = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

  it('one per case shown, each with an id of its own, naming reader, route, time and trace', () => {
    n = 0;
    const shown = shownInDeliveries([delivery(d1, 'IDENTIFY_SPECIAL'), delivery(d3, 'SPOT')]);
    expect(personalDataReads(shown, context, ids)).toEqual([
      {
        readId: '00000000-0000-4000-8000-000000000001',
        at: context.at,
        reader: 'hotline-at',
        caseId,
        deliveryId: d1,
        eventId,
        viewLevel: 'IDENTIFY_SPECIAL',
        via: 'INBOX',
        traceId: context.traceId,
      },
      expect.objectContaining({
        readId: '00000000-0000-4000-8000-000000000002',
        deliveryId: d3,
        viewLevel: 'SPOT',
      }),
    ]);
    expect(personalDataReads([], context, ids)).toEqual([]);
  });

  it('hold nothing of what was shown: no name, description, place or contact of the case', () => {
    const shown = [
      shownInCaseView(fullCaseView(state)),
      ...shownInDeliveries([delivery(d1, 'IDENTIFY_SPECIAL')]),
    ];
    const text = JSON.stringify(personalDataReads(shown, { ...context, via: 'CASE_VIEW' }, ids));
    const secrets = [
      ...body.child.names.flatMap((name) => [name.given, name.family]),
      ...body.child.descriptions!.map((d) => d.text),
      body.child.dateOfBirth!,
      body.child.photoRef!,
      body.lastSeen!.place!,
      body.contact!.phone!,
      body.originCaseReference,
    ];
    expect(secrets.length).toBeGreaterThan(6);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
