import { z } from 'zod';
import type { Organisation } from '@alert-exchange/contracts';
import { parseDurationMs, urlVerdict, type UrlOptions } from '@alert-exchange/platform';
import { CATEGORY, COUNTRY, LANGUAGE } from '../body-fields';

const ROLE_NAMES = {
  'member-ngo': 'MEMBER_NGO',
  hotline: 'HOTLINE',
  mediator: 'MEDIATOR',
  operator: 'OPERATOR',
  auditor: 'AUDITOR',
} as const;
export type RoleName = keyof typeof ROLE_NAMES;

/**
 * A webhook URL the exchange may call: absolute, https (http only where the deployment
 * allows it), no credentials, and not an address or name inside the exchange's walls
 * (loopback, private networks, link-local and the cloud metadata service, by
 * `destinations`). Refused at registration, with the reason, rather than at the first
 * delivery; the dispatcher checks again, after DNS, at every attempt.
 */
function webhookUrl(destinations: UrlOptions) {
  return z
    .string()
    .url('must be an absolute URL')
    .superRefine((url, ctx) => {
      const verdict = urlVerdict(url, destinations);
      if (!verdict.allowed)
        ctx.addIssue({ code: 'custom', message: `is refused: ${verdict.reason}` });
    });
}

/**
 * `POST /v1/admin/organisations` (contract: Directory) and `PATCH
 * /v1/admin/organisations/{id}` (any member but the id), for a deployment whose webhook
 * destinations are limited by `destinations`.
 */
export function organisationBodies(destinations: UrlOptions) {
  const body = z
    .object({
      id: z.string().regex(/^[a-z0-9-]{3,64}$/, 'must be 3 to 64 characters of a-z, 0-9 and -'),
      name: z.string().trim().min(1).max(200),
      country: COUNTRY,
      roles: z
        .array(z.enum(Object.keys(ROLE_NAMES) as [RoleName, ...RoleName[]]))
        .min(1, 'must name at least one role'),
      coverage: z.object({ countries: z.array(COUNTRY), categories: z.array(CATEGORY) }).strict(),
      languages: z.array(LANGUAGE).default([]),
      delivery: z.discriminatedUnion('mode', [
        z.object({ mode: z.literal('webhook'), url: webhookUrl(destinations) }).strict(),
        z.object({ mode: z.literal('pull') }).strict(),
      ]),
      ackWithin: z
        .string()
        .refine(
          (d) => (parseDurationMs(d) ?? 0) > 0,
          'must be a positive ISO-8601 duration, e.g. PT15M',
        ),
    })
    .strict();
  return { body, patch: body.omit({ id: true }).partial().strict() };
}
type Bodies = ReturnType<typeof organisationBodies>;
export type OrganisationBody = z.infer<Bodies['body']>;
export type OrganisationPatch = z.infer<Bodies['patch']>;

/** The directory record of a validated body. */
export function toOrganisationRecord(body: OrganisationBody, now: number): Organisation {
  return {
    id: body.id,
    name: body.name,
    country: body.country,
    roles: body.roles.map((r) => ROLE_NAMES[r]),
    coverage: { countries: body.coverage.countries, categories: body.coverage.categories },
    languages: body.languages,
    delivery:
      body.delivery.mode === 'webhook'
        ? { mode: 'WEBHOOK', url: body.delivery.url }
        : { mode: 'PULL', url: null },
    ackWithinMs: parseDurationMs(body.ackWithin)!,
    subscriptions: [],
    active: true,
    updatedAt: now,
  };
}

/** The API view of a directory record (the contract's shape); no secrets. */
export function toOrganisationView(record: Organisation): OrganisationBody & { updatedAt: string } {
  const roleName = Object.fromEntries(Object.entries(ROLE_NAMES).map(([k, v]) => [v, k])) as Record<
    string,
    RoleName
  >;
  const seconds = Math.round(record.ackWithinMs / 1000);
  return {
    id: record.id,
    name: record.name,
    country: record.country,
    roles: record.roles.map((r) => roleName[r]).filter((r): r is RoleName => r !== undefined),
    coverage: {
      countries: record.coverage.countries,
      categories: record.coverage.categories as OrganisationBody['coverage']['categories'],
    },
    languages: record.languages,
    delivery:
      record.delivery.mode === 'WEBHOOK'
        ? { mode: 'webhook', url: record.delivery.url ?? '' }
        : { mode: 'pull' },
    ackWithin: `PT${seconds}S`,
    updatedAt: new Date(record.updatedAt).toISOString(),
  };
}

/** The body a PATCH produces: the current view with the patch applied. */
export function patchedBody(current: Organisation, patch: OrganisationPatch): OrganisationBody {
  const { updatedAt: _updatedAt, ...view } = toOrganisationView(current);
  return { ...view, ...patch, id: current.id };
}
