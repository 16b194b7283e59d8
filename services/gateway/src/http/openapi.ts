import { z } from 'zod';
import { VIEW_LEVELS } from '@alert-exchange/contracts';
import { CaseBodySchema, EventBodySchema } from '../alerts/request-bodies';
import { AckBody } from '../acknowledgement/ack-body';
import { ReplayBody } from '../dead-letters/dead-letter-queries';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_WAIT_SECONDS } from '../inbox/inbox-query';
import { auditPaths, auditSchemas } from './openapi-audit';
import { errors, problem } from './openapi-parts';

/** A request body's JSON Schema, generated from the zod schema that validates it. */
function requestSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  });
  return jsonSchema;
}

const organisationId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[a-z0-9-]{3,64}$' },
};
const country = {
  type: 'string',
  pattern: '^[A-Z]{2}$',
  description: 'ISO 3166-1 alpha-2, upper case',
};
const category = {
  type: 'string',
  enum: [
    'RUNAWAY',
    'PARENTAL_ABDUCTION',
    'MISSING_MIGRANT_MINOR',
    'THIRD_PARTY_ABDUCTION',
    'LOST_INJURED_OTHER',
  ],
};
const caseId = {
  name: 'caseId',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Any string up to 255 characters. A retry with the same key and body within 24 hours gets the first answer and publishes nothing new; the same key with another body is a 409; while the first request is still running, a second waits up to 15 s, then gets 409.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};
const traceparent = {
  name: 'traceparent',
  in: 'header',
  required: false,
  description: 'W3C trace context; the alert joins this trace, otherwise a new one starts',
  schema: { type: 'string' },
};
const readTraceparent = {
  ...traceparent,
  description:
    'W3C trace context; the audit record of this read joins this trace, otherwise a new one starts',
};
/** Why the routes that show a case answer 503. */
const unrecorded = {
  ...problem,
  description:
    'Kafka did not take the audit record of this read, a dependency is down, or the cases are being read again after Redis lost them: nothing of the case is shown; retry after Retry-After',
};
const accepted = {
  description:
    'Kafka has the event (acks=all). Location names the case; traceId follows the alert through the exchange.',
  headers: { Location: { schema: { type: 'string' } } },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } },
};
const cursorDescription =
  'Opaque cursor from an earlier answer (`next`) or the id of a stream event; empty or absent: from the beginning of the inbox. A bad value is a 400 naming `/query/after`.';
const after = {
  name: 'after',
  in: 'query',
  required: false,
  description: cursorDescription,
  schema: { type: 'string', pattern: '^$|^[0-9]{1,5}-[0-9]{1,19}$' },
};
const deliveryId = {
  name: 'deliveryId',
  in: 'path',
  required: true,
  description: 'The deliveryId of the webhook body (a malformed id is a 404)',
  schema: { type: 'string', format: 'uuid' },
};
const notRecipient = {
  ...problem,
  description:
    'The bootstrap operator key: it is no organisation of the directory and receives nothing',
};
const subscribedUrgency = { type: 'string', enum: ['IMMEDIATE', 'EXPECTED', 'FUTURE'] };
const subscribedEventType = {
  type: 'string',
  enum: ['RAISED', 'UPDATED', 'SIGHTING_REPORTED', 'RESOLVED', 'WITHDRAWN'],
};

/** The document served at GET /openapi.json. */
/**
 * The OpenAPI 3.1 document of every public route the gateway serves today; the detailed
 * form of ../shared/CONTRACT.md. A test checks that every route the app answers is here.
 */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Alert Exchange',
    version: '1.0.0',
    description:
      'Cross-border exchange of missing-children alerts (contract v1). Errors are RFC 9457 problem+json.',
  },
  servers: [{ url: '/' }],
  security: [{ apiKey: [] }],
  paths: {
    '/healthz': {
      get: {
        operationId: 'liveness',
        summary: 'Liveness',
        security: [],
        responses: { '200': { description: 'The process is alive' } },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        summary: 'Metrics in the Prometheus text format (docs/OBSERVABILITY.md)',
        security: [],
        responses: {
          '200': {
            description: 'Every instrument of this gateway process',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/readyz': {
      get: {
        operationId: 'readiness',
        summary: 'Readiness: Kafka, Redis and the schema registry reachable',
        security: [],
        responses: {
          '200': { description: 'Ready' },
          '503': { description: 'A dependency is down; the body names it' },
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        summary: 'This document',
        security: [],
        responses: { '200': { description: 'OpenAPI 3.1' } },
      },
    },
    '/docs': {
      get: {
        operationId: 'openApiPage',
        summary: 'This document, rendered',
        security: [],
        responses: { '200': { description: 'HTML' } },
      },
    },
    '/v1/alerts': {
      post: {
        operationId: 'raiseCase',
        summary: 'Raise a case (member NGOs, hotlines)',
        description:
          'Publishes a RAISED event to alerts.<caseCountry>. 503 with Retry-After when Kafka cannot take it: retry with the same Idempotency-Key.',
        parameters: [idempotencyKey, traceparent],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/CaseInput' } } },
        },
        responses: { '202': accepted, '409': problem, ...errors },
      },
    },
    '/v1/alerts/{caseId}/events': {
      parameters: [caseId],
      post: {
        operationId: 'addCaseEvent',
        summary:
          'Add an event to a case: UPDATED (originator), SIGHTING_REPORTED (originator, recipients, operators), RESOLVED (originator, operators), WITHDRAWN (originator, operators)',
        parameters: [idempotencyKey, traceparent],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/EventInput' } } },
        },
        responses: {
          '202': accepted,
          '404': { ...problem, description: 'No such case, or not one the caller may see' },
          '409': { ...problem, description: 'The case is closed, or the Idempotency-Key is taken' },
          ...errors,
        },
      },
    },
    '/v1/alerts/{caseId}': {
      parameters: [caseId],
      get: {
        operationId: 'readCase',
        summary: 'The current state of a case, folded from its events',
        description:
          'The originating organisation and operators see the whole case (CaseView). Each organisation the case was routed to sees it minimised to the view level it was routed at (RoutedCaseView; docs/ROUTING.md). Everyone else gets 404, so that case ids reveal nothing. Every read that shows the case is first recorded for the audit trail (who, which case, at what level; acks=all): if Kafka cannot take that record, the answer is 503 with Retry-After and shows nothing.',
        parameters: [readTraceparent],
        responses: {
          '200': {
            description: 'The case',
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/CaseView' },
                    { $ref: '#/components/schemas/RoutedCaseView' },
                  ],
                },
              },
            },
          },
          '404': { ...problem, description: 'No such case, or not one the caller may see' },
          ...errors,
          '503': unrecorded,
        },
      },
    },
    '/v1/admin/organisations': {
      post: {
        operationId: 'createOrganisation',
        summary: 'Create an organisation (operators)',
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/OrganisationInput' } },
          },
        },
        responses: {
          '201': {
            description:
              'Created; a webhook organisation gets its signing secret in webhookSecret, once',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/OrganisationWithNewSecret' },
              },
            },
          },
          '409': problem,
          ...errors,
        },
      },
      get: {
        operationId: 'listOrganisations',
        summary: 'List organisations (operators)',
        responses: {
          '200': {
            description: 'Every organisation',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    organisations: {
                      type: 'array',
                      items: { $ref: '#/components/schemas/Organisation' },
                    },
                  },
                },
              },
            },
          },
          ...errors,
        },
      },
    },
    '/v1/admin/organisations/{id}': {
      parameters: [organisationId],
      get: {
        operationId: 'readOrganisation',
        summary: 'Read an organisation (operators)',
        responses: {
          '200': {
            description: 'The organisation',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/Organisation' } },
            },
          },
          '404': problem,
          ...errors,
        },
      },
      patch: {
        operationId: 'updateOrganisation',
        summary: 'Change an organisation (operators)',
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/OrganisationPatch' } },
          },
        },
        responses: {
          '200': {
            description:
              'Changed; switched to webhook delivery without an active secret, it gets one in webhookSecret, once',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/OrganisationWithNewSecret' },
              },
            },
          },
          '404': problem,
          ...errors,
        },
      },
      delete: {
        operationId: 'deleteOrganisation',
        summary: 'Delete an organisation (operators)',
        responses: { '204': { description: 'Deleted' }, '404': problem, ...errors },
      },
    },
    '/v1/admin/organisations/{id}/keys': {
      parameters: [organisationId],
      post: {
        operationId: 'issueApiKey',
        summary: 'Issue an API key, shown once (operators; at most two active per organisation)',
        responses: {
          '201': {
            description: 'The new key; only its digest is kept',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['keyId', 'key', 'createdAt'],
                  properties: {
                    keyId: { type: 'string' },
                    key: { type: 'string' },
                    createdAt: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
          '404': problem,
          '409': problem,
          ...errors,
        },
      },
    },
    '/v1/admin/organisations/{id}/keys/{keyId}': {
      parameters: [
        organisationId,
        { name: 'keyId', in: 'path', required: true, schema: { type: 'string' } },
      ],
      delete: {
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key (operators)',
        responses: { '204': { description: 'Revoked' }, '404': problem, ...errors },
      },
    },
    '/v1/admin/organisations/{id}/webhook-secrets': {
      parameters: [organisationId],
      get: {
        operationId: 'listWebhookSecrets',
        summary: "List a webhook organisation's signing secrets, without their values (operators)",
        responses: {
          '200': {
            description: 'Active and recently revoked secrets, newest first',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['webhookSecrets'],
                  properties: {
                    webhookSecrets: {
                      type: 'array',
                      items: { $ref: '#/components/schemas/WebhookSecretInfo' },
                    },
                  },
                },
              },
            },
          },
          '404': problem,
          ...errors,
        },
      },
      post: {
        operationId: 'createWebhookSecret',
        summary:
          'Issue a webhook signing secret, shown once (operators; at most two active: each delivery is signed with both, recipients verify with either)',
        responses: {
          '201': {
            description: 'The new secret',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/NewWebhookSecret' } },
            },
          },
          '404': problem,
          '409': {
            ...problem,
            description: 'Two secrets are active already, or the organisation receives by pull',
          },
          ...errors,
        },
      },
    },
    '/v1/admin/organisations/{id}/webhook-secrets/{secretId}': {
      parameters: [
        organisationId,
        { name: 'secretId', in: 'path', required: true, schema: { type: 'string' } },
      ],
      delete: {
        operationId: 'revokeWebhookSecret',
        summary: 'Revoke a webhook signing secret (operators); revoking it again changes nothing',
        responses: { '204': { description: 'Revoked' }, '404': problem, ...errors },
      },
    },
    '/v1/subscriptions': {
      post: {
        operationId: 'createSubscription',
        summary:
          "Subscribe the caller's organisation to alerts beyond its coverage (member NGOs, hotlines, mediators, operators)",
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/SubscriptionInput' } },
          },
        },
        responses: {
          '201': {
            description: 'Created',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/Subscription' } },
            },
          },
          '409': { ...problem, description: 'The organisation holds 50 subscriptions already' },
          ...errors,
        },
      },
      get: {
        operationId: 'listSubscriptions',
        summary: "The caller's organisation's subscriptions",
        responses: {
          '200': {
            description: 'Its subscriptions',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['subscriptions'],
                  properties: {
                    subscriptions: {
                      type: 'array',
                      items: { $ref: '#/components/schemas/Subscription' },
                    },
                  },
                },
              },
            },
          },
          ...errors,
        },
      },
    },
    '/v1/subscriptions/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      delete: {
        operationId: 'deleteSubscription',
        summary: "Delete one of the caller's organisation's subscriptions",
        responses: {
          '204': { description: 'Deleted' },
          '404': { ...problem, description: 'No such subscription of the caller' },
          ...errors,
        },
      },
    },
    '/v1/inbox': {
      get: {
        operationId: 'readInbox',
        summary: "The caller's deliveries after a cursor, in order (pull receiving)",
        description:
          "The deliveries routed to the caller's organisation (whatever its delivery mode), each as the webhook push carries it, oldest first. Pass `next` as `after` to read on; with `wait`, an empty inbox holds the request until a delivery arrives or the wait ends (long poll). The same delivery may come more than once (replays): de-duplicate on deliveryId. Query parameters are named in problems as `/query/<name>`. Every delivery of the page that carries an alert is first recorded for the audit trail (who was shown which case, at what level; acks=all): if Kafka cannot take those records, the answer is 503 with Retry-After and shows nothing.",
        parameters: [
          readTraceparent,
          after,
          {
            name: 'wait',
            in: 'query',
            required: false,
            description: 'Seconds to wait for a delivery when there is none (long poll)',
            schema: { type: 'integer', minimum: 0, maximum: MAX_WAIT_SECONDS, default: 0 },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: 'The most deliveries in one answer',
            schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
          },
        ],
        responses: {
          '200': {
            description: 'The deliveries after the cursor (maybe none) and the cursor to read on',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/InboxPage' } } },
          },
          ...errors,
          '403': notRecipient,
          '503': unrecorded,
        },
      },
    },
    '/v1/inbox/stream': {
      get: {
        operationId: 'streamInbox',
        summary: "The caller's deliveries as Server-Sent Events",
        description:
          'The inbox as an event stream that stays open: one `delivery` event per delivery, `id` its cursor, `data` the webhook body as JSON (WebhookBody); a comment line every 15 s while nothing happens. Starts after the `Last-Event-ID` header (sent by an EventSource that reconnects), else after `after`, else at the beginning. Each delivery that carries an alert is recorded for the audit trail (acks=all) before its event is written: if Kafka cannot take the records of the first deliveries, the answer is 503 with Retry-After instead of the stream; later, the stream ends without them and the client reconnects with Last-Event-ID.',
        parameters: [
          readTraceparent,
          after,
          {
            name: 'Last-Event-ID',
            in: 'header',
            required: false,
            description: 'The id of the last event received: the stream resumes after it',
            schema: { type: 'string' },
          },
        ],
        responses: {
          '200': {
            description:
              'text/event-stream: `id: <cursor>`, `event: delivery`, `data: <WebhookBody JSON>`',
            content: {
              'text/event-stream': {
                schema: { type: 'string', description: 'Server-Sent Events (WHATWG HTML)' },
              },
            },
          },
          ...errors,
          '403': notRecipient,
          '503': unrecorded,
        },
      },
    },
    '/v1/deliveries/{deliveryId}/ack': {
      parameters: [deliveryId],
      post: {
        operationId: 'acknowledgeDelivery',
        summary: 'Acknowledge a delivery (its recipient only)',
        description:
          "Records RECEIVED or ACTIONED, with an optional note (restricted: never logged), and answers once Kafka has it (acks=all); 503 with Retry-After when Kafka cannot take it. The same status again answers the acknowledgement first recorded and records nothing. Anyone but the delivery's recipient, operators included, gets 403. A delivery routed moments ago is waited for up to 5 s before a 404.",
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/AckInput' } } },
        },
        responses: {
          '200': {
            description: 'The acknowledgement as recorded',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Ack' } } },
          },
          '404': { ...problem, description: 'No such delivery' },
          '409': {
            ...problem,
            description: 'The same acknowledgement is being recorded by another request; retry',
          },
          ...errors,
        },
      },
    },
    '/v1/admin/dead-letters': {
      get: {
        operationId: 'listDeadLetters',
        summary: 'Deliveries the dispatcher gave up on, newest first (operators)',
        parameters: [
          {
            name: 'recipientId',
            in: 'query',
            required: false,
            description: 'Only those of this recipient',
            schema: { type: 'string', pattern: '^[a-z0-9-]{3,64}$' },
          },
          {
            name: 'since',
            in: 'query',
            required: false,
            description: 'Only those dead-lettered at or after this time',
            schema: { type: 'string', format: 'date-time' },
          },
        ],
        responses: {
          '200': {
            description: 'The dead letters selected',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['deadLetters'],
                  properties: {
                    deadLetters: {
                      type: 'array',
                      items: { $ref: '#/components/schemas/DeadLetter' },
                    },
                  },
                },
              },
            },
          },
          ...errors,
        },
      },
    },
    '/v1/admin/dead-letters/replay': {
      post: {
        operationId: 'replayDeadLetters',
        summary: 'Ask for dead-lettered deliveries to be sent again (operators)',
        description:
          'Selects the dead letters that match every member given and asks the dispatcher to send them again (a DeliveryReplay on the delivery-commands topic, acks=all); 202 names them. An empty selection is a 202 with no deliveryIds and asks for nothing. A deliveryId that is not dead-lettered is a 404.',
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/ReplayInput' } },
          },
        },
        responses: {
          '202': {
            description: 'The request is recorded; the dispatcher carries it out',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/ReplayAccepted' } },
            },
          },
          '404': { ...problem, description: 'The deliveryId given is no dead letter' },
          ...errors,
        },
      },
    },
    '/v1/admin/cases/{caseId}/erasure': {
      post: {
        operationId: 'eraseCase',
        summary: "Erase a case's personal data at once (operators)",
        description:
          "Destroys the case's data keys (docs/PRIVACY.md, Erasure): afterwards no personal field of the case can be read anywhere, in Kafka, Redis or any answer, while its audit trail keeps its metadata and still verifies. The erasure is recorded first (a CaseErasure on privacy.erasures, acks=all; an ERASED fact in the audit trail naming the operator), then the keys are destroyed; 200 comes after both. Erasing a case erased already records a second erasure and destroys nothing. No request body.",
        parameters: [caseId],
        responses: {
          '200': {
            description: 'The case is erased',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/Erasure' } },
            },
          },
          '404': { ...problem, description: 'The exchange knows no such case' },
          ...errors,
          '503': {
            ...problem,
            description:
              'Kafka did not take the erasure, or the cases are being read again after Redis lost them; retry after Retry-After (an erasure recorded before the failure is carried out all the same)',
          },
        },
      },
    },
    ...auditPaths,
  },
  components: {
    securitySchemes: {
      apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <api key>' },
    },
    schemas: {
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status', 'detail'],
        properties: {
          type: { type: 'string', format: 'uri' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              required: ['path', 'message'],
              properties: {
                path: { type: 'string', description: 'JSON Pointer' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
      OrganisationInput: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'country', 'roles', 'coverage', 'delivery', 'ackWithin'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9-]{3,64}$' },
          name: { type: 'string', minLength: 1, maxLength: 200 },
          country,
          roles: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'string',
              enum: ['member-ngo', 'hotline', 'mediator', 'operator', 'auditor'],
            },
          },
          coverage: {
            type: 'object',
            additionalProperties: false,
            required: ['countries', 'categories'],
            properties: {
              countries: { type: 'array', items: country },
              categories: { type: 'array', items: category },
            },
          },
          languages: { type: 'array', items: { type: 'string', description: 'BCP 47' } },
          delivery: {
            oneOf: [
              {
                type: 'object',
                additionalProperties: false,
                required: ['mode', 'url'],
                properties: { mode: { const: 'webhook' }, url: { type: 'string', format: 'uri' } },
              },
              {
                type: 'object',
                additionalProperties: false,
                required: ['mode'],
                properties: { mode: { const: 'pull' } },
              },
            ],
          },
          ackWithin: { type: 'string', description: 'ISO-8601 duration, e.g. PT15M' },
        },
      },
      OrganisationPatch: {
        $ref: '#/components/schemas/OrganisationInput',
        description: 'Any member but id; required members may be left out.',
      },
      Organisation: {
        allOf: [
          { $ref: '#/components/schemas/OrganisationInput' },
          { type: 'object', properties: { updatedAt: { type: 'string', format: 'date-time' } } },
        ],
      },
      OrganisationWithNewSecret: {
        allOf: [
          { $ref: '#/components/schemas/Organisation' },
          {
            type: 'object',
            properties: { webhookSecret: { $ref: '#/components/schemas/NewWebhookSecret' } },
          },
        ],
      },
      NewWebhookSecret: {
        type: 'object',
        description:
          'A Standard Webhooks signing secret, shown only in this response: webhook-signature is v1,<base64 HMAC-SHA256 of "id.timestamp.body"> keyed with the base64-decoded part after whsec_',
        required: ['secretId', 'secret', 'createdAt'],
        properties: {
          secretId: { type: 'string', pattern: '^[0-9a-f]{16}$' },
          secret: { type: 'string', pattern: '^whsec_[A-Za-z0-9+/]{43}=$' },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
      WebhookSecretInfo: {
        type: 'object',
        required: ['secretId', 'createdAt', 'revokedAt'],
        properties: {
          secretId: { type: 'string', pattern: '^[0-9a-f]{16}$' },
          createdAt: { type: 'string', format: 'date-time' },
          revokedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      CaseInput: requestSchema(CaseBodySchema),
      EventInput: requestSchema(EventBodySchema),
      Accepted: {
        type: 'object',
        required: ['caseId', 'eventId', 'traceId'],
        properties: {
          caseId: { type: 'string', format: 'uuid' },
          eventId: { type: 'string', format: 'uuid' },
          traceId: { type: 'string', pattern: '^[0-9a-f]{32}$' },
        },
      },
      CaseView: {
        type: 'object',
        required: [
          'caseId',
          'status',
          'originatingOrganisation',
          'raisedAt',
          'updatedAt',
          'lastEventId',
          'eventCount',
          'personalDataErased',
          'case',
          'sightings',
          'resolution',
          'withdrawal',
        ],
        properties: {
          caseId: { type: 'string', format: 'uuid' },
          status: { type: 'string', enum: ['OPEN', 'RESOLVED', 'WITHDRAWN'] },
          originatingOrganisation: { type: 'string' },
          raisedAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
          lastEventId: { type: 'string', format: 'uuid' },
          eventCount: { type: 'integer', minimum: 1 },
          personalDataErased: {
            type: 'boolean',
            description:
              "The case's personal data was erased (retention after closing, or an operator): the personal fields of `case` are then empty (names, descriptions, nationalities []; date of birth, age, sex, photo, medical notes, migration status, last-seen place and position, circumstances null)",
          },
          case: { $ref: '#/components/schemas/CaseInput' },
          sightings: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                eventId: { type: 'string', format: 'uuid' },
                at: { type: 'string', format: 'date-time' },
                country,
                place: { type: ['string', 'null'] },
                note: { type: ['string', 'null'] },
                reportedBy: { type: ['string', 'null'] },
                reportedAt: { type: 'string', format: 'date-time' },
              },
            },
          },
          resolution: {
            type: ['object', 'null'],
            properties: {
              eventId: { type: 'string', format: 'uuid' },
              at: { type: 'string', format: 'date-time' },
              outcome: { type: 'string' },
              note: { type: ['string', 'null'] },
            },
          },
          withdrawal: {
            type: ['object', 'null'],
            properties: {
              eventId: { type: 'string', format: 'uuid' },
              at: { type: 'string', format: 'date-time' },
              reason: { type: ['string', 'null'] },
            },
          },
        },
      },
      RoutedCaseView: {
        type: 'object',
        description:
          "A case as one of its recipients sees it: the latest event cut to its view level (NOTICE, SPOT, MEDIATE, IDENTIFY, IDENTIFY_SPECIAL; a member absent from alert was withheld). A sighting's time, place and note are shown from SPOT on.",
        required: [
          'caseId',
          'status',
          'raisedAt',
          'updatedAt',
          'lastEventId',
          'eventCount',
          'viewLevel',
          'alert',
          'sightings',
          'closedAt',
        ],
        properties: {
          caseId: { type: 'string', format: 'uuid' },
          status: { type: 'string', enum: ['OPEN', 'RESOLVED', 'WITHDRAWN'] },
          raisedAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
          lastEventId: { type: 'string', format: 'uuid' },
          eventCount: { type: 'integer', minimum: 1 },
          viewLevel: { type: 'string', enum: [...VIEW_LEVELS] },
          alert: {
            type: 'object',
            description: 'The minimised alert, as in the webhook body (docs/ROUTING.md)',
          },
          sightings: {
            type: 'array',
            items: {
              type: 'object',
              required: ['eventId', 'country', 'reportedBy', 'reportedAt'],
              properties: {
                eventId: { type: 'string', format: 'uuid' },
                country,
                reportedBy: { type: ['string', 'null'] },
                reportedAt: { type: 'string', format: 'date-time' },
                at: { type: 'string', format: 'date-time' },
                place: { type: ['string', 'null'] },
                note: { type: ['string', 'null'] },
              },
            },
          },
          closedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      SubscriptionInput: {
        type: 'object',
        additionalProperties: false,
        description: 'Each list is optional; an empty or missing list matches all.',
        properties: {
          countries: { type: 'array', maxItems: 300, items: country },
          categories: { type: 'array', maxItems: 300, items: category },
          urgencies: { type: 'array', maxItems: 300, items: subscribedUrgency },
          eventTypes: { type: 'array', maxItems: 300, items: subscribedEventType },
        },
      },
      Subscription: {
        type: 'object',
        required: ['id', 'countries', 'categories', 'urgencies', 'eventTypes'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          countries: { type: 'array', items: country },
          categories: { type: 'array', items: category },
          urgencies: { type: 'array', items: subscribedUrgency },
          eventTypes: { type: 'array', items: subscribedEventType },
        },
      },
      WebhookBody: {
        type: 'object',
        description:
          'A delivery, as pushed to a webhook and as the inbox returns it (contract: Receiving)',
        required: [
          'deliveryId',
          'caseId',
          'eventId',
          'eventType',
          'category',
          'urgency',
          'alert',
          'routing',
          'ackBy',
        ],
        properties: {
          deliveryId: {
            type: 'string',
            format: 'uuid',
            description: 'Stable across retries and replays: de-duplicate on it',
          },
          caseId: { type: 'string', format: 'uuid' },
          eventId: { type: 'string', format: 'uuid' },
          eventType: subscribedEventType,
          category,
          urgency: subscribedUrgency,
          alert: {
            type: ['object', 'null'],
            description: 'The alert minimised for the recipient (docs/ROUTING.md)',
          },
          routing: {
            type: 'object',
            required: ['reasons'],
            properties: {
              reasons: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['rule', 'detail'],
                  properties: { rule: { type: 'string' }, detail: { type: 'string' } },
                },
              },
            },
          },
          ackBy: {
            type: 'string',
            format: 'date-time',
            description: 'Acknowledge before this, or operators are told',
          },
        },
      },
      InboxPage: {
        type: 'object',
        required: ['deliveries', 'next'],
        properties: {
          deliveries: { type: 'array', items: { $ref: '#/components/schemas/WebhookBody' } },
          next: {
            type: ['string', 'null'],
            description:
              'Pass as `after` next time: the cursor of the last delivery, or the one sent when none came (null when none was sent and the inbox is empty)',
          },
        },
      },
      AckInput: requestSchema(AckBody),
      Ack: {
        type: 'object',
        required: ['ackId', 'deliveryId', 'status', 'at'],
        properties: {
          ackId: { type: 'string', format: 'uuid' },
          deliveryId: { type: 'string', format: 'uuid' },
          status: { type: 'string', enum: ['RECEIVED', 'ACTIONED'] },
          note: { type: 'string' },
          at: { type: 'string', format: 'date-time' },
        },
      },
      DeadLetter: {
        type: 'object',
        required: [
          'deliveryId',
          'caseId',
          'recipientId',
          'eventType',
          'deadLetteredAt',
          'attempts',
          'lastError',
        ],
        properties: {
          deliveryId: { type: 'string', format: 'uuid' },
          caseId: { type: 'string', format: 'uuid' },
          recipientId: { type: 'string' },
          eventType: { type: 'string' },
          deadLetteredAt: { type: 'string', format: 'date-time' },
          attempts: { type: 'integer', minimum: 0 },
          lastError: { type: 'string', description: 'Why the last attempt failed' },
        },
      },
      ReplayInput: requestSchema(ReplayBody),
      ReplayAccepted: {
        type: 'object',
        required: ['requestId', 'deliveryIds'],
        properties: {
          requestId: { type: 'string', format: 'uuid' },
          deliveryIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
        },
      },
      Erasure: {
        type: 'object',
        required: [
          'caseId',
          'erasureId',
          'erasedAt',
          'reason',
          'requestedBy',
          'closedAt',
          'keysDestroyed',
        ],
        properties: {
          caseId: { type: 'string', format: 'uuid' },
          erasureId: { type: 'string', description: 'Id of this erasure in the audit trail' },
          erasedAt: { type: 'string', format: 'date-time' },
          reason: { type: 'string', enum: ['OPERATOR'] },
          requestedBy: { type: 'string', description: 'The operator organisation' },
          closedAt: {
            type: ['string', 'null'],
            format: 'date-time',
            description: 'When the case was resolved or withdrawn; null if it was open',
          },
          keysDestroyed: {
            type: 'integer',
            minimum: 0,
            description: 'Data keys destroyed now (0 when erased already)',
          },
        },
      },
      ...auditSchemas,
    },
  },
} as const;
