import { z } from 'zod';
import { isCountryCode, type Subscription } from '@alert-exchange/contracts';

const COUNTRY = z
  .string()
  .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code in upper case, e.g. DE');
const CATEGORY = z.enum([
  'RUNAWAY',
  'PARENTAL_ABDUCTION',
  'MISSING_MIGRANT_MINOR',
  'THIRD_PARTY_ABDUCTION',
  'LOST_INJURED_OTHER',
]);
const URGENCY = z.enum(['IMMEDIATE', 'EXPECTED', 'FUTURE']);
const EVENT_TYPE = z.enum(['RAISED', 'UPDATED', 'SIGHTING_REPORTED', 'RESOLVED', 'WITHDRAWN']);

/** Each list is optional and an empty one matches all; repeated values count once. */
const list = <T extends z.ZodType<string>>(item: T) =>
  z
    .array(item)
    .max(300)
    .default([])
    .transform((values) => [...new Set(values)]);

/** `POST /v1/subscriptions` (contract: Directory). */
export const SubscriptionBody = z
  .object({
    countries: list(COUNTRY),
    categories: list(CATEGORY),
    urgencies: list(URGENCY),
    eventTypes: list(EVENT_TYPE),
  })
  .strict();
export type SubscriptionBody = z.infer<typeof SubscriptionBody>;

/** The API view of a subscription: the record as it is. */
export interface SubscriptionView {
  id: string;
  countries: string[];
  categories: string[];
  urgencies: string[];
  eventTypes: string[];
}

/** The directory record of a validated body, under `id`. */
export function toSubscription(id: string, body: SubscriptionBody): Subscription {
  return { id, ...body };
}

/** The API view of a stored subscription. */
export function toSubscriptionView(record: Subscription): SubscriptionView {
  return {
    id: record.id,
    countries: record.countries,
    categories: record.categories,
    urgencies: record.urgencies,
    eventTypes: record.eventTypes,
  };
}
