import { z } from 'zod';
import { isCountryCode } from '@alert-exchange/contracts';

/**
 * Fields several request bodies share (alerts, organisations, subscriptions), so that a
 * country or a category is checked, worded and documented (OpenAPI) the same everywhere.
 */

export const COUNTRY = z
  .string()
  .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code in upper case, e.g. DE')
  .meta({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2, upper case' });

export const CATEGORIES = [
  'RUNAWAY',
  'PARENTAL_ABDUCTION',
  'MISSING_MIGRANT_MINOR',
  'THIRD_PARTY_ABDUCTION',
  'LOST_INJURED_OTHER',
] as const;
export const CATEGORY = z.enum(CATEGORIES);

export const URGENCY = z.enum(['IMMEDIATE', 'EXPECTED', 'FUTURE']);

export const EVENT_TYPE = z.enum([
  'RAISED',
  'UPDATED',
  'SIGHTING_REPORTED',
  'RESOLVED',
  'WITHDRAWN',
]);

export const LANGUAGE = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag, e.g. el or pt-BR');
