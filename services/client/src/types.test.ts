import { openApiDocument } from '@alert-exchange/gateway';
import type {
  Accepted,
  Ack,
  AckInput,
  CaseInput,
  CaseTrail,
  CaseView,
  Checkpoint,
  DeadLetter,
  Delivery,
  InboxPage,
  Organisation,
  Problem,
  ReplayAccepted,
  ReplaySelection,
  RoutedCaseView,
  TrailEntry,
  UnacknowledgedDelivery,
} from './types';

/** Each member of T, and whether T requires it: the compiler checks this against T. */
type Presence<T> = { [K in keyof T]-?: object extends Pick<T, K> ? 'optional' : 'required' };
const fieldsOf = <T>(fields: Presence<T>): Record<string, 'optional' | 'required'> => fields;

/** The members of an OpenAPI schema, required or not, following $ref and allOf. */
function schemaFields(name: string): Record<string, 'optional' | 'required'> {
  const schemas = openApiDocument.components.schemas as Record<string, any>;
  const resolve = (schema: any): Record<string, 'optional' | 'required'> => {
    if (schema.$ref) return resolve(schemas[String(schema.$ref).split('/').pop()!]);
    if (schema.allOf) return Object.assign({}, ...schema.allOf.map(resolve));
    const required = new Set<string>(schema.required ?? []);
    return Object.fromEntries(
      Object.keys(schema.properties ?? {}).map((k) => [
        k,
        required.has(k) ? 'required' : 'optional',
      ]),
    );
  };
  return resolve(schemas[name]);
}

describe("the client's types match the gateway's OpenAPI document", () => {
  it.each([
    [
      'CaseInput',
      fieldsOf<CaseInput>({
        category: 'required',
        urgency: 'required',
        originCaseReference: 'required',
        occurredAt: 'required',
        countries: 'required',
        lastSeen: 'optional',
        child: 'required',
        riskFactors: 'optional',
        circumstances: 'optional',
        contact: 'optional',
      }),
    ],
    [
      'Accepted',
      fieldsOf<Accepted>({ caseId: 'required', eventId: 'required', traceId: 'required' }),
    ],
    [
      'CaseView',
      fieldsOf<CaseView>({
        caseId: 'required',
        status: 'required',
        originatingOrganisation: 'required',
        raisedAt: 'required',
        updatedAt: 'required',
        lastEventId: 'required',
        eventCount: 'required',
        personalDataErased: 'required',
        case: 'required',
        sightings: 'required',
        resolution: 'required',
        withdrawal: 'required',
      }),
    ],
    [
      'RoutedCaseView',
      fieldsOf<RoutedCaseView>({
        caseId: 'required',
        status: 'required',
        raisedAt: 'required',
        updatedAt: 'required',
        lastEventId: 'required',
        eventCount: 'required',
        viewLevel: 'required',
        alert: 'required',
        sightings: 'required',
        closedAt: 'required',
      }),
    ],
    [
      'WebhookBody',
      fieldsOf<Delivery>({
        deliveryId: 'required',
        caseId: 'required',
        eventId: 'required',
        eventType: 'required',
        category: 'required',
        urgency: 'required',
        alert: 'required',
        routing: 'required',
        ackBy: 'required',
      }),
    ],
    ['InboxPage', fieldsOf<InboxPage>({ deliveries: 'required', next: 'required' })],
    ['AckInput', fieldsOf<AckInput>({ status: 'required', note: 'optional' })],
    [
      'Ack',
      fieldsOf<Ack>({
        ackId: 'required',
        deliveryId: 'required',
        status: 'required',
        note: 'optional',
        at: 'required',
      }),
    ],
    [
      'DeadLetter',
      fieldsOf<DeadLetter>({
        deliveryId: 'required',
        caseId: 'required',
        recipientId: 'required',
        eventType: 'required',
        deadLetteredAt: 'required',
        attempts: 'required',
        lastError: 'required',
      }),
    ],
    [
      'ReplayInput',
      fieldsOf<ReplaySelection>({
        deliveryId: 'optional',
        recipientId: 'optional',
        since: 'optional',
      }),
    ],
    [
      'ReplayAccepted',
      fieldsOf<ReplayAccepted>({ requestId: 'required', deliveryIds: 'required' }),
    ],
    ['CaseTrail', fieldsOf<CaseTrail>({ caseId: 'required', entries: 'required' })],
    [
      'TrailEntry',
      fieldsOf<TrailEntry>({
        seq: 'required',
        at: 'required',
        kind: 'required',
        actor: 'required',
        recipient: 'optional',
        deliveryId: 'optional',
        eventId: 'optional',
        caseId: 'optional',
        detail: 'required',
        traceId: 'optional',
        hash: 'required',
        prevHash: 'required',
      }),
    ],
    [
      'UnacknowledgedDelivery',
      fieldsOf<UnacknowledgedDelivery>({
        deliveryId: 'required',
        recipient: 'optional',
        caseId: 'optional',
        routedAt: 'required',
        state: 'required',
      }),
    ],
    [
      'Checkpoint',
      fieldsOf<Checkpoint>({
        treeSize: 'required',
        rootHash: 'required',
        timestamp: 'required',
        signature: 'required',
        publicKey: 'required',
      }),
    ],
    [
      'Organisation',
      fieldsOf<Organisation>({
        id: 'required',
        name: 'required',
        country: 'required',
        roles: 'required',
        coverage: 'required',
        languages: 'optional',
        delivery: 'required',
        ackWithin: 'required',
        updatedAt: 'optional',
      }),
    ],
    [
      'Problem',
      fieldsOf<Problem>({
        type: 'required',
        title: 'required',
        status: 'required',
        detail: 'required',
        errors: 'optional',
      }),
    ],
  ])('%s', (schema, fields) => {
    expect(fields).toEqual(schemaFields(schema));
  });
});
