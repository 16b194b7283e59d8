/**
 * The columns of an outbound CSV file (docs/LEGACY-ADAPTER.md), one row per case event,
 * with the field of the exchange's request body each one fills. A file has a header row;
 * columns may come in any order, and a column the case system does not have may be left
 * out when no row needs it.
 */
export const COLUMNS = {
  origin_reference: '/originCaseReference',
  event_type: '/type',
  occurred_at: '/occurredAt',
  category: '/category',
  urgency: '/urgency',
  case_country: '/countries/caseCountry',
  last_seen_country: '/countries/lastSeenCountry',
  last_seen_place: '/lastSeen/place',
  last_seen_at: '/lastSeen/at',
  suspected_destinations: '/countries/suspectedDestinations',
  given_name: '/child/names',
  family_name: '/child/names/0/family',
  age_years: '/child/ageYears',
  date_of_birth: '/child/dateOfBirth',
  sex: '/child/sex',
  description: '/child/descriptions',
  description_lang: '/child/descriptions/0/lang',
  contact_desk: '/contact/desk',
  contact_phone: '/contact/phone',
  outcome: '/resolution/outcome',
  note: '/resolution/note',
} as const;

export type Column = keyof typeof COLUMNS;

/** The event types a case system may write in `event_type`. */
export const ROW_EVENT_TYPES = ['RAISED', 'UPDATED', 'RESOLVED', 'WITHDRAWN'] as const;
export type RowEventType = (typeof ROW_EVENT_TYPES)[number];

/**
 * The column a field of the request body came from, for the gateway's refusals
 * (`/child/names/0/given` → `given_name`); the longest matching field wins.
 */
export function columnOfField(pointer: string): Column | undefined {
  const exact = (Object.keys(COLUMNS) as Column[]).find((c) => COLUMNS[c] === pointer);
  if (exact) return exact;
  if (pointer === '/reason') return 'note';
  if (pointer.startsWith('/child/names')) return 'given_name';
  if (pointer.startsWith('/child/descriptions')) return 'description';
  if (pointer.startsWith('/countries/suspectedDestinations')) return 'suspected_destinations';
  return undefined;
}
