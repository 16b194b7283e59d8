/**
 * The audit API's part of the OpenAPI document (../shared/CONTRACT.md, Audit): paths for
 * auditors and operators, and the schemas of what they return. Kept beside openapi.ts,
 * which spreads both in and checks them with the rest.
 */
import { errors, problem as problemRef } from './openapi-parts';

const json = (schema: Record<string, unknown>) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const nullableString = { type: ['string', 'null'] };

export const auditPaths = {
  '/v1/audit/cases/{caseId}': {
    get: {
      operationId: 'caseTrail',
      summary: "A case's audit trail in order (auditors, operators)",
      description:
        'Every fact of the case in trail order: received, published, routed (to whom and why), attempted, delivered, acknowledged, escalated, dead-lettered, replayed, resolved, withdrawn, and reads of personal data. Organisations, times, reasons and states only: no personal data of the child. `format=csv` returns the same entries as a CSV attachment (RFC 4180, `detail` as canonical JSON).',
      parameters: [
        { name: 'caseId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        {
          name: 'format',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['json', 'csv'], default: 'json' },
        },
      ],
      responses: {
        '200': {
          description: 'The trail',
          content: {
            'application/json': { schema: ref('CaseTrail') },
            'text/csv': { schema: { type: 'string' } },
          },
        },
        '404': { ...problemRef, description: 'The trail has no fact of this case' },
        ...errors,
      },
    },
  },
  '/v1/audit/deliveries': {
    get: {
      operationId: 'unacknowledgedDeliveries',
      summary:
        'Deliveries not acknowledged, routed longer ago than a duration (auditors, operators)',
      parameters: [
        {
          name: 'state',
          in: 'query',
          required: true,
          schema: { type: 'string', enum: ['unacknowledged'] },
        },
        {
          name: 'olderThan',
          in: 'query',
          required: false,
          description: 'ISO-8601 duration, e.g. PT1H; default PT0S (all of them)',
          schema: { type: 'string', default: 'PT0S' },
        },
      ],
      responses: {
        '200': {
          description: 'Oldest first',
          ...json({
            type: 'object',
            required: ['deliveries'],
            properties: { deliveries: { type: 'array', items: ref('UnacknowledgedDelivery') } },
          }),
        },
        ...errors,
      },
    },
  },
  '/v1/audit/checkpoints/latest': {
    get: {
      operationId: 'latestCheckpoint',
      summary: 'The latest signed checkpoint of the trail (auditors, operators)',
      description:
        'Ed25519 over the four lines `alert-exchange audit checkpoint v1`, treeSize, rootHash and timestamp, each ending in a line feed (docs/AUDIT.md). Verify with the public key you were given, not only the one shown.',
      responses: {
        '200': { description: 'The checkpoint', ...json(ref('Checkpoint')) },
        '404': { ...problemRef, description: 'No checkpoint has been signed yet' },
        ...errors,
      },
    },
  },
  '/v1/audit/records/{seq}/proof': {
    get: {
      operationId: 'inclusionProof',
      summary: 'A Merkle inclusion proof of one record against the latest checkpoint',
      description:
        'RFC 9162 §2.1.3: hash `canonicalRecord` as a leaf (SHA-256 of 0x00 and the bytes) and fold `auditPath` to the checkpoint’s rootHash.',
      parameters: [
        {
          name: 'seq',
          in: 'path',
          required: true,
          schema: { type: 'integer', minimum: 0 },
        },
      ],
      responses: {
        '200': { description: 'The proof', ...json(ref('InclusionProof')) },
        '404': { ...problemRef, description: 'No such record, or no checkpoint yet' },
        '409': {
          ...problemRef,
          description: 'The record came after the latest checkpoint; the next one covers it',
        },
        ...errors,
      },
    },
  },
  '/v1/audit/completeness': {
    get: {
      operationId: 'completenessReport',
      summary: 'Whether every event of a window was routed and every delivery reached an end',
      description:
        'For events published and deliveries routed in [from, to) (at most 31 days): each event needs its routing record, each delivery must be delivered, acknowledged or dead-lettered. Exceptions are listed, oldest first.',
      parameters: [
        {
          name: 'from',
          in: 'query',
          required: true,
          schema: { type: 'string', format: 'date-time' },
        },
        {
          name: 'to',
          in: 'query',
          required: true,
          schema: { type: 'string', format: 'date-time' },
        },
      ],
      responses: {
        '200': { description: 'The report', ...json(ref('CompletenessReport')) },
        ...errors,
      },
    },
  },
} as const;

const trailEntry = {
  type: 'object',
  required: ['seq', 'at', 'kind', 'actor', 'detail', 'hash', 'prevHash'],
  properties: {
    seq: { type: 'integer', minimum: 0 },
    at: { type: 'string', format: 'date-time' },
    kind: {
      type: 'string',
      enum: [
        'RECEIVED',
        'PUBLISHED',
        'ROUTED',
        'ATTEMPTED',
        'DELIVERED',
        'ACKNOWLEDGED',
        'ESCALATED',
        'DEAD_LETTERED',
        'REPLAYED',
        'RESOLVED',
        'WITHDRAWN',
        'PERSONAL_DATA_READ',
        'ERASED',
      ],
    },
    actor: { type: 'string', description: 'The organisation or service that did it' },
    recipient: nullableString,
    deliveryId: nullableString,
    eventId: nullableString,
    caseId: nullableString,
    detail: { type: 'object', additionalProperties: { type: 'string' } },
    traceId: nullableString,
    hash: hex64,
    prevHash: hex64,
  },
};

const checkpoint = {
  type: 'object',
  required: ['treeSize', 'rootHash', 'timestamp', 'signature', 'publicKey'],
  properties: {
    treeSize: { type: 'integer', minimum: 0 },
    rootHash: hex64,
    timestamp: { type: 'integer', description: 'Milliseconds since the Unix epoch; signed' },
    signature: { type: 'string', description: 'Ed25519, standard base64' },
    publicKey: { type: 'string', description: 'Raw 32-byte Ed25519 key, standard base64' },
  },
};

export const auditSchemas = {
  TrailEntry: trailEntry,
  CaseTrail: {
    type: 'object',
    required: ['caseId', 'entries'],
    properties: {
      caseId: { type: 'string', format: 'uuid' },
      entries: { type: 'array', items: ref('TrailEntry') },
    },
  },
  UnacknowledgedDelivery: {
    type: 'object',
    required: ['deliveryId', 'routedAt', 'state'],
    properties: {
      deliveryId: { type: 'string', format: 'uuid' },
      recipient: nullableString,
      caseId: nullableString,
      routedAt: { type: 'string', format: 'date-time' },
      state: { type: 'string', description: 'The latest fact about it' },
    },
  },
  Checkpoint: checkpoint,
  InclusionProof: {
    type: 'object',
    required: [
      'seq',
      'leafIndex',
      'treeSize',
      'record',
      'canonicalRecord',
      'leafHash',
      'auditPath',
      'checkpoint',
    ],
    properties: {
      seq: { type: 'integer', minimum: 0 },
      leafIndex: { type: 'integer', minimum: 0 },
      treeSize: { type: 'integer', minimum: 1 },
      record: ref('TrailEntry'),
      canonicalRecord: { type: 'string', description: 'The leaf: RFC 8785 JSON bytes, base64' },
      leafHash: hex64,
      auditPath: { type: 'array', items: hex64 },
      checkpoint: ref('Checkpoint'),
    },
  },
  CompletenessReport: {
    type: 'object',
    required: ['window', 'complete', 'events', 'deliveries'],
    properties: {
      window: {
        type: 'object',
        required: ['from', 'to'],
        properties: {
          from: { type: 'string', format: 'date-time' },
          to: { type: 'string', format: 'date-time' },
        },
      },
      complete: { type: 'boolean' },
      events: {
        type: 'object',
        required: ['published', 'routed', 'exceptions'],
        properties: {
          published: { type: 'integer' },
          routed: { type: 'integer' },
          exceptions: { type: 'array', items: { type: 'object' } },
        },
      },
      deliveries: {
        type: 'object',
        required: ['routed', 'delivered', 'acknowledged', 'deadLettered', 'exceptions'],
        properties: {
          routed: { type: 'integer' },
          delivered: { type: 'integer' },
          acknowledged: { type: 'integer' },
          deadLettered: { type: 'integer' },
          exceptions: { type: 'array', items: { type: 'object' } },
        },
      },
    },
  },
} as const;
