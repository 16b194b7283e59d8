import { z } from 'zod';
import type { Subscription } from '@alert-exchange/contracts';
import { CATEGORY, COUNTRY, EVENT_TYPE, URGENCY } from '../body-fields';

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
