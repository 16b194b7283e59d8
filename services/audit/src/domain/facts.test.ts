import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  toAlertEvent,
  type Acknowledgement,
  type CaseBody,
  type DeliveryStatus,
  type RoutingRecord,
} from '@alert-exchange/contracts';
import {
  factsOfAcknowledgement,
  factsOfAlertEvent,
  factsOfDeliveryStatus,
  factsOfErasure,
  factsOfPersonalDataRead,
  factsOfRoutingRecord,
} from './facts';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'schemas', 'examples');
const example = (file: string): CaseBody =>
  JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as CaseBody;

const caseId = '0b8e7d6c-5a4f-4321-8fed-cba987654321';
const eventId = '00000000-0000-4000-8000-000000000001';
const deliveryId = '5d41402a-bc4b-8a76-b971-9d911017c592';
const at = Date.parse('2026-11-23T10:00:00.000Z');
const source = { topic: 'alerts.de', partition: 3, offset: '41' };

const raised = (eventType: 'RAISED' | 'RESOLVED' | 'WITHDRAWN') =>
  toAlertEvent(example('raise-missing-migrant-minor.json'), {
    caseId,
    eventId,
    eventType,
    publishedAt: at,
    originatingOrganisation: 'ngo-it-migrants',
  });

describe('audit facts of alert events', () => {
  it.each([
    ['RAISED', 'PUBLISHED'],
    ['RESOLVED', 'RESOLVED'],
    ['WITHDRAWN', 'WITHDRAWN'],
  ] as const)('%s makes RECEIVED then %s, by the originator', (eventType, kind) => {
    const facts = factsOfAlertEvent(raised(eventType), source, 'trace-1', at + 12);
    const expected = (n: number, k: string, when: number) => ({
      at: when,
      kind: k,
      actor: 'ngo-it-migrants',
      caseId,
      recipient: null,
      deliveryId: null,
      eventId,
      detail: {
        source: `alerts.de/3/41#${n}`,
        eventType,
        category: 'MISSING_MIGRANT_MINOR',
        urgency: expect.any(String),
        caseCountry: expect.stringMatching(/^[A-Z]{2}$/),
      },
      traceId: 'trace-1',
    });
    expect(facts).toEqual([expected(0, 'RECEIVED', at), expected(1, kind, at + 12)]);
  });

  it('never publishes before it received, even when the Kafka timestamp is earlier', () => {
    const [received, published] = factsOfAlertEvent(raised('RAISED'), source, null, at - 500);
    expect(received!.at).toBe(at);
    expect(published!.at).toBe(at);
  });

  it('carries none of the personal data of the event', () => {
    const event = raised('RAISED');
    const text = JSON.stringify(factsOfAlertEvent(event, source, null, at));
    const personal = [
      ...(event.personal.clear?.names ?? []).flatMap((n) => Object.values(n)),
      event.originCaseReference,
      event.contact.desk,
      event.contact.phone,
    ].filter((v): v is string => typeof v === 'string' && v.length > 2);
    expect(personal.length).toBeGreaterThan(0);
    for (const value of personal) expect(text).not.toContain(value);
  });
});

describe('audit facts of routing records', () => {
  it('makes one ROUTED fact per recipient, with its view level, reasons and its own source', () => {
    const record: RoutingRecord = {
      eventId,
      caseId,
      eventType: 'RAISED',
      category: 'RUNAWAY',
      urgency: 'HIGH',
      originatingOrganisation: 'ngo-de-1',
      involvedCountries: ['DE', 'AT'],
      sequence: 1,
      routedAt: at,
      source: { topic: 'alerts.de', partition: 3, offset: 41 },
      recipients: [
        {
          recipientId: 'hotline-at',
          deliveryId,
          viewLevel: 'IDENTIFY_SPECIAL',
          reasons: [{ rule: 'hotline-of-destination', detail: 'country=AT' }],
        },
        {
          recipientId: 'ngo-at-1',
          deliveryId: '6d41402a-bc4b-8a76-b971-9d911017c592',
          viewLevel: 'IDENTIFY',
          reasons: [
            { rule: 'ngo-of-destination', detail: 'country=AT' },
            { rule: 'subscription:sub-1', detail: 'category=RUNAWAY' },
          ],
        },
      ],
    };
    const facts = factsOfRoutingRecord(record, { ...source, topic: 'routing-records' }, null);
    expect(facts.map((f) => [f.kind, f.recipient, f.deliveryId, f.detail])).toEqual([
      [
        'ROUTED',
        'hotline-at',
        deliveryId,
        {
          source: 'routing-records/3/41#0',
          eventType: 'RAISED',
          viewLevel: 'IDENTIFY_SPECIAL',
          reasons: 'hotline-of-destination: country=AT',
        },
      ],
      [
        'ROUTED',
        'ngo-at-1',
        '6d41402a-bc4b-8a76-b971-9d911017c592',
        {
          source: 'routing-records/3/41#1',
          eventType: 'RAISED',
          viewLevel: 'IDENTIFY',
          reasons: 'ngo-of-destination: country=AT; subscription:sub-1: category=RUNAWAY',
        },
      ],
    ]);
    expect(facts.every((f) => f.actor === 'router' && f.at === at && f.eventId === eventId)).toBe(
      true,
    );
  });

  it('makes one ROUTED fact without a recipient for an event routed to nobody', () => {
    const record: RoutingRecord = {
      eventId,
      caseId,
      eventType: 'UPDATED',
      category: 'RUNAWAY',
      urgency: 'LOW',
      originatingOrganisation: 'ngo-de-1',
      involvedCountries: ['DE'],
      sequence: 2,
      routedAt: at,
      source: { topic: 'alerts.de', partition: 0, offset: 7 },
      recipients: [],
    };
    expect(factsOfRoutingRecord(record, { ...source, topic: 'routing-records' }, null)).toEqual([
      {
        at,
        kind: 'ROUTED',
        actor: 'router',
        caseId,
        recipient: null,
        deliveryId: null,
        eventId,
        detail: { source: 'routing-records/3/41#0', eventType: 'UPDATED', recipients: '0' },
        traceId: null,
      },
    ]);
  });
});

const status = (more: Partial<DeliveryStatus>): DeliveryStatus => ({
  deliveryId,
  caseId,
  recipientId: 'hotline-at',
  attempt: 1,
  state: 'FAILED_RETRYING',
  at,
  httpStatus: null,
  errorKind: null,
  nextAttemptAt: null,
  latencyMs: null,
  actor: null,
  ...more,
});

describe('audit facts of delivery statuses', () => {
  it.each([
    [
      'a failed attempt',
      status({
        httpStatus: 500,
        errorKind: 'status=500',
        latencyMs: 12,
        nextAttemptAt: at + 10_000,
      }),
      'ATTEMPTED',
      'dispatcher',
      {
        state: 'FAILED_RETRYING',
        attempt: '1',
        httpStatus: '500',
        latencyMs: '12',
        error: 'status=500',
        nextAttemptAt: '2026-11-23T10:00:10.000Z',
      },
    ],
    [
      'a timeout',
      status({ attempt: 2, errorKind: 'timeout', latencyMs: 10_003 }),
      'ATTEMPTED',
      'dispatcher',
      { state: 'FAILED_RETRYING', attempt: '2', latencyMs: '10003', error: 'timeout' },
    ],
    [
      'the delivered attempt',
      status({ state: 'DELIVERED', attempt: 4, httpStatus: 200, latencyMs: 8 }),
      'DELIVERED',
      'dispatcher',
      { state: 'DELIVERED', attempt: '4', httpStatus: '200', latencyMs: '8' },
    ],
    [
      'a 410',
      status({ state: 'ENDPOINT_DISABLED', httpStatus: 410, errorKind: 'status=410' }),
      'ATTEMPTED',
      'dispatcher',
      { state: 'ENDPOINT_DISABLED', attempt: '1', httpStatus: '410', error: 'status=410' },
    ],
    [
      'a dead letter',
      status({ state: 'DEAD_LETTERED', attempt: 29, httpStatus: 503, errorKind: 'status=503' }),
      'DEAD_LETTERED',
      'dispatcher',
      { state: 'DEAD_LETTERED', attempt: '29', httpStatus: '503', error: 'status=503' },
    ],
    [
      'an escalation',
      status({ state: 'ESCALATED', errorKind: 'NOT_ACKNOWLEDGED' }),
      'ESCALATED',
      'dispatcher',
      { state: 'ESCALATED', attempt: '1', reason: 'NOT_ACKNOWLEDGED' },
    ],
    [
      'an escalation closed',
      status({ state: 'ESCALATION_CLOSED' }),
      'ESCALATED',
      'dispatcher',
      { state: 'ESCALATION_CLOSED', attempt: '1', closed: 'true' },
    ],
    [
      'a replay by an operator',
      status({ state: 'REPLAYED', attempt: 29, actor: 'federation-operator' }),
      'REPLAYED',
      'federation-operator',
      { state: 'REPLAYED', attempt: '29' },
    ],
  ])('%s', (_name, record, kind, actor, detail) => {
    const facts = factsOfDeliveryStatus(record, { ...source, topic: 'delivery-status' });
    expect(facts).toEqual([
      {
        at,
        kind,
        actor,
        caseId,
        recipient: 'hotline-at',
        deliveryId,
        eventId: null,
        detail: { source: 'delivery-status/3/41#0', ...detail },
        traceId: null,
      },
    ]);
  });

  it.each(['PENDING', 'ATTEMPTED', 'UNKNOWN'] as const)('%s makes no fact', (state) => {
    expect(factsOfDeliveryStatus(status({ state }), source)).toEqual([]);
  });
});

describe('audit facts of acknowledgements', () => {
  it('makes one ACKNOWLEDGED fact by the recipient, without the restricted note', () => {
    const ack: Acknowledgement = {
      ackId: '7d41402a-bc4b-4a76-b971-9d911017c592',
      deliveryId,
      caseId,
      recipientId: 'hotline-at',
      status: 'ACTIONED',
      note: 'Ελένη was seen at the station',
      at,
    };
    const facts = factsOfAcknowledgement(ack, { ...source, topic: 'acknowledgements' });
    expect(facts).toEqual([
      {
        at,
        kind: 'ACKNOWLEDGED',
        actor: 'hotline-at',
        caseId,
        recipient: 'hotline-at',
        deliveryId,
        eventId: null,
        detail: { source: 'acknowledgements/3/41#0', status: 'ACTIONED' },
        traceId: null,
      },
    ]);
    expect(JSON.stringify(facts)).not.toContain('Ελένη');
  });
});

describe('audit facts of personal data reads', () => {
  it.each([
    ['an inbox page', 'INBOX', deliveryId],
    ['the case view', 'CASE_VIEW', null],
  ] as const)('makes one PERSONAL_DATA_READ by the reader for %s', (_name, via, shown) => {
    const facts = factsOfPersonalDataRead(
      {
        readId: '7d41402a-bc4b-8a76-b971-9d911017c592',
        at,
        reader: 'hotline-at',
        caseId,
        deliveryId: shown,
        eventId,
        viewLevel: 'IDENTIFY_SPECIAL',
        via,
        traceId: 'trace-2',
      },
      { ...source, topic: 'personal-data-reads' },
    );
    expect(facts).toEqual([
      {
        at,
        kind: 'PERSONAL_DATA_READ',
        actor: 'hotline-at',
        caseId,
        recipient: 'hotline-at',
        deliveryId: shown,
        eventId,
        detail: { source: 'personal-data-reads/3/41#0', via, viewLevel: 'IDENTIFY_SPECIAL' },
        traceId: 'trace-2',
      },
    ]);
  });
});

describe('audit facts of erasures', () => {
  const closedAt = Date.parse('2026-10-24T10:00:00.000Z');
  it.each([
    [
      'the retention, written twice (two offsets)',
      {
        erasureId: `retention:${caseId}`,
        reason: 'RETENTION',
        requestedBy: 'router',
        closedAt,
        keyIds: ['k1', 'k2'],
      },
      {
        source: `privacy.erasures/retention:${caseId}#0`,
        reason: 'RETENTION',
        keysDestroyed: '2',
        closedAt: '2026-10-24T10:00:00.000Z',
      },
    ],
    [
      "an operator's request, the case open and without keys left",
      {
        erasureId: '9d41402a-bc4b-4a76-b971-9d911017c592',
        reason: 'OPERATOR',
        requestedBy: 'ops-eu',
        closedAt: null,
        keyIds: [],
      },
      {
        source: 'privacy.erasures/9d41402a-bc4b-4a76-b971-9d911017c592#0',
        reason: 'OPERATOR',
        keysDestroyed: '0',
      },
    ],
  ] as const)('makes one ERASED by whoever asked for %s', (_name, erasure, detail) => {
    const facts = [41, 42].map((offset) =>
      factsOfErasure(
        { ...erasure, caseId, at, keyIds: [...erasure.keyIds] },
        { topic: 'privacy.erasures', partition: 0, offset: String(offset) },
      ),
    );
    const expected = [
      {
        at,
        kind: 'ERASED',
        actor: erasure.requestedBy,
        caseId,
        recipient: null,
        deliveryId: null,
        eventId: null,
        detail,
        traceId: null,
      },
    ];
    // Read at two offsets (the record written again), the same fact: the appender keeps one.
    expect(facts[0]).toEqual(expected);
    expect(facts[1]).toEqual(expected);
  });
});
