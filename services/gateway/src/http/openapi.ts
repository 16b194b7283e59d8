import { z } from 'zod';
import { VIEW_LEVELS } from '@alert-exchange/contracts';
import { CaseBodySchema, EventBodySchema } from '../alerts/request-bodies';

/** A request body's JSON Schema, generated from the zod schema that validates it. */
function requestSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  });
  return jsonSchema;
}

/**
 * The OpenAPI 3.1 document of every public route the gateway serves today; the detailed
 * form of ../shared/CONTRACT.md. A test checks that every route the app answers is here.
 */
const problem = {
  description: 'RFC 9457 problem details',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const errors = {
  '400': problem,
  '401': problem,
  '403': problem,
  '413': problem,
  '429': problem,
  '503': problem,
};
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
const accepted = {
  description:
    'Kafka has the event (acks=all). Location names the case; traceId follows the alert through the exchange.',
  headers: { Location: { schema: { type: 'string' } } },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } },
};
const subscribedUrgency = { type: 'string', enum: ['IMMEDIATE', 'EXPECTED', 'FUTURE'] };
const subscribedEventType = {
  type: 'string',
  enum: ['RAISED', 'UPDATED', 'SIGHTING_REPORTED', 'RESOLVED', 'WITHDRAWN'],
};

/** The document served at GET /openapi.json. */
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
          'The originating organisation and operators see the whole case (CaseView). Each organisation the case was routed to sees it minimised to the view level it was routed at (RoutedCaseView; docs/ROUTING.md). Everyone else gets 404, so that case ids reveal nothing.',
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
    },
  },
} as const;
