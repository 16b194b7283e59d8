import { z } from 'zod';
import { parseDurationMs } from '@alert-exchange/platform';

/** The longest completeness window one request may ask for. */
export const MAX_WINDOW_MS = 31 * 24 * 3_600_000;

const DATE_TIME = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO-8601 date-time with a time zone, e.g. 2026-11-20T18:30:00Z',
  })
  .transform((text) => Date.parse(text));

/** `GET /v1/audit/cases/{caseId}?format=json|csv`; problems name `/params/caseId`, `/query/format`. */
export const CaseTrailQuery = z.object({
  params: z.object({
    caseId: z.uuid('must be a case id (a UUID)').transform((id) => id.toLowerCase()),
  }),
  query: z.object({
    format: z.enum(['json', 'csv'], 'must be json or csv').default('json'),
  }),
});

/** `GET /v1/audit/deliveries?state=unacknowledged&olderThan=<ISO-8601 duration>`. */
export const DeliveriesQuery = z.object({
  query: z.object({
    state: z.literal('unacknowledged', 'must be unacknowledged (the only state this lists)'),
    olderThan: z
      .string('must be an ISO-8601 duration, e.g. PT1H')
      .default('PT0S')
      .transform((text, ctx) => {
        const ms = parseDurationMs(text);
        if (ms === undefined) {
          ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 duration, e.g. PT1H' });
          return z.NEVER;
        }
        return ms;
      }),
  }),
});

/** `GET /v1/audit/records/{seq}/proof`. */
export const ProofQuery = z.object({
  params: z.object({
    seq: z
      .string()
      .regex(/^(0|[1-9][0-9]{0,15})$/, 'must be a record number (an integer from 0)')
      .transform(Number),
  }),
});

/** `GET /v1/audit/completeness?from=&to=`: a half-open window of at most 31 days. */
export const CompletenessQuery = z
  .object({ query: z.object({ from: DATE_TIME, to: DATE_TIME }) })
  .refine((q) => q.query.to > q.query.from, {
    message: 'must be after from',
    path: ['query', 'to'],
  })
  .refine((q) => q.query.to - q.query.from <= MAX_WINDOW_MS, {
    message: 'must be at most 31 days after from',
    path: ['query', 'to'],
  });
