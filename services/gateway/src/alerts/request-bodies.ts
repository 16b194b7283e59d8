import { z } from 'zod';
import type { CaseBody, EventBody } from '@alert-exchange/contracts';
import { CATEGORY, COUNTRY, LANGUAGE, URGENCY } from '../body-fields';

/**
 * The JSON bodies of `POST /v1/alerts` and `POST /v1/alerts/{caseId}/events` (contract:
 * Publishing alerts), as zod schemas: strict objects, so an unknown or misspelt member is
 * a 400 naming it rather than data silently dropped. Their output types are the
 * `CaseBody` and `EventBody` that `@alert-exchange/contracts` maps to Avro.
 */

const INSTANT = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 date-time with a time zone, e.g. 2026-11-20T18:30:00Z',
});
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const optionalText = (max: number) => text(max).nullish();
const countries = (max: number) => z.array(COUNTRY).max(max);

const Name = z
  .object({
    given: text(200),
    family: optionalText(200),
    script: z
      .string()
      .regex(/^[A-Z][a-z]{3}$/, 'must be an ISO 15924 script code, e.g. Latn or Cyrl')
      .nullish(),
    lang: LANGUAGE.nullish(),
  })
  .strict();

const CaseFields = z
  .object({
    category: CATEGORY,
    urgency: URGENCY,
    originCaseReference: text(100),
    occurredAt: INSTANT,
    countries: z
      .object({
        caseCountry: COUNTRY,
        lastSeenCountry: COUNTRY.nullish(),
        suspectedDestinations: countries(20).optional(),
        knownRoute: countries(20).optional(),
      })
      .strict(),
    lastSeen: z
      .object({
        at: INSTANT.nullish(),
        place: optionalText(500),
        latitude: z.number().min(-90).max(90).nullish(),
        longitude: z.number().min(-180).max(180).nullish(),
      })
      .strict()
      .nullish(),
    child: z
      .object({
        names: z.array(Name).min(1, 'must hold at least one name').max(10),
        dateOfBirth: z.iso.date('must be a date, e.g. 2012-03-04').nullish(),
        ageYears: z
          .number()
          .int('must be a whole number')
          .min(0)
          .max(17, 'must be under 18: the exchange is for children')
          .nullish(),
        sex: z.enum(['FEMALE', 'MALE', 'OTHER']).nullish(),
        nationalities: countries(10).optional(),
        languagesSpoken: z.array(LANGUAGE).max(20).optional(),
        descriptions: z
          .array(z.object({ lang: LANGUAGE, text: text(2000) }).strict())
          .max(20)
          .optional(),
        photoRef: optionalText(200),
        migrationStatus: optionalText(200),
      })
      .strict(),
    riskFactors: z
      .object({
        medicalNeeds: z.boolean().optional(),
        exploitationRisk: z.boolean().optional(),
        traffickingRisk: z.boolean().optional(),
        selfHarmRisk: z.boolean().optional(),
        medicalNotes: optionalText(2000),
      })
      .strict()
      .optional(),
    circumstances: optionalText(4000),
    contact: z
      .object({
        desk: optionalText(200),
        phone: z
          .string()
          .regex(/^\+[1-9][0-9 ]{5,20}$/, 'must be an international number, e.g. +493012345678')
          .nullish(),
        email: z.email('must be an e-mail address').nullish(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Five minutes of clock skew between a member system and the exchange are tolerated. */
const CLOCK_SKEW_MS = 5 * 60_000;
const notInFuture = (body: { occurredAt: string }, ctx: z.RefinementCtx): void => {
  if (Date.parse(body.occurredAt) > Date.now() + CLOCK_SKEW_MS) {
    ctx.addIssue({ code: 'custom', path: ['occurredAt'], message: 'must not be in the future' });
  }
};

/** The case as a member system describes it (`POST /v1/alerts`, and UPDATED events). */
export const CaseBodySchema = CaseFields.superRefine(notInFuture) satisfies z.ZodType<CaseBody>;

/** An event on a case (`POST /v1/alerts/{caseId}/events`); UPDATED carries the whole case. */
export const EventBodySchema = z.discriminatedUnion('type', [
  CaseFields.extend({ type: z.literal('UPDATED') }).superRefine(notInFuture),
  z
    .object({
      type: z.literal('SIGHTING_REPORTED'),
      occurredAt: INSTANT,
      sighting: z
        .object({
          at: INSTANT,
          country: COUNTRY,
          place: z.string().trim().max(500).nullable().default(null),
          note: z.string().trim().max(2000).nullable().default(null),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      type: z.literal('RESOLVED'),
      occurredAt: INSTANT,
      resolution: z
        .object({
          outcome: z.enum(['FOUND_SAFE', 'FOUND_HARMED', 'FOUND_DECEASED', 'RETURNED', 'OTHER']),
          note: z.string().trim().max(2000).nullable().default(null),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      type: z.literal('WITHDRAWN'),
      occurredAt: INSTANT,
      reason: z.string().trim().max(2000).nullable().default(null),
    })
    .strict(),
]) satisfies z.ZodType<EventBody>;
