import type { CaseInput, EventInput, Outcome } from '@alert-exchange/client';
import { ROW_EVENT_TYPES, type Column, type RowEventType } from './columns';
import type { RowProblem } from './row-problems';

/** A CSV row as read: column name → text (empty when the cell is empty or missing). */
export type CsvRow = Readonly<Partial<Record<string, string>>>;

/** What a row asks the exchange to do. */
export type RowRequest =
  | { readonly kind: 'raise'; readonly originReference: string; readonly body: CaseInput }
  | { readonly kind: 'event'; readonly originReference: string; readonly body: EventInput };

export type RowOutcome =
  | { readonly ok: true; readonly request: RowRequest }
  | { readonly ok: false; readonly problems: readonly RowProblem[] };

const CATEGORIES = [
  'RUNAWAY',
  'PARENTAL_ABDUCTION',
  'MISSING_MIGRANT_MINOR',
  'THIRD_PARTY_ABDUCTION',
  'LOST_INJURED_OTHER',
] as const;
const URGENCIES = ['IMMEDIATE', 'EXPECTED', 'FUTURE'] as const;
const SEXES = ['FEMALE', 'MALE', 'OTHER'] as const;
const OUTCOMES = ['FOUND_SAFE', 'FOUND_HARMED', 'FOUND_DECEASED', 'RETURNED', 'OTHER'] as const;
const COUNTRY = /^[A-Z]{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Reads one row's cells, collecting a problem per bad cell. */
class RowReader {
  readonly problems: RowProblem[] = [];

  constructor(
    private readonly row: CsvRow,
    private readonly file: string,
    private readonly line: number,
  ) {}

  problem(column: Column | null, message: string): void {
    this.problems.push({ file: this.file, line: this.line, column, message });
  }

  text(column: Column): string | null {
    const value = this.row[column]?.trim();
    return value ? value : null;
  }

  required(column: Column): string {
    const value = this.text(column);
    if (value === null) this.problem(column, 'is required');
    return value ?? '';
  }

  oneOf<T extends string>(column: Column, allowed: readonly T[], required = true): T | null {
    const value = required ? this.required(column) : this.text(column);
    if (value === null || value === '') return null;
    const upper = value.toUpperCase();
    if ((allowed as readonly string[]).includes(upper)) return upper as T;
    this.problem(column, `must be one of ${allowed.join(', ')}`);
    return null;
  }

  matching(column: Column, pattern: RegExp, rule: string, required = false): string | null {
    const value = required ? this.required(column) : this.text(column);
    if (value === null || value === '') return null;
    if (pattern.test(value)) return value;
    this.problem(column, `must be ${rule}`);
    return null;
  }

  dateTime(column: Column, required = false): string | null {
    const value = this.matching(
      column,
      DATE_TIME,
      'an ISO-8601 date-time with a time zone (2026-11-20T18:30:00Z)',
      required,
    );
    if (value !== null && Number.isNaN(Date.parse(value))) {
      this.problem(column, 'is not a real date and time');
      return null;
    }
    return value;
  }

  country(column: Column, required = false): string | null {
    const value = this.text(column)?.toUpperCase() ?? null;
    if (value === null) {
      if (required) this.problem(column, 'is required');
      return null;
    }
    if (COUNTRY.test(value)) return value;
    this.problem(column, 'must be an ISO 3166-1 alpha-2 country code (DE)');
    return null;
  }

  countries(column: Column): string[] {
    const values = (this.text(column) ?? '')
      .split(';')
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean);
    if (values.every((c) => COUNTRY.test(c))) return values;
    this.problem(column, 'must be ISO 3166-1 alpha-2 country codes separated by ;');
    return [];
  }

  ageYears(): number | null {
    const value = this.matching('age_years', /^\d{1,2}$/, 'a whole number of years (0 to 17)');
    if (value === null) return null;
    const age = Number(value);
    if (age <= 17) return age;
    this.problem('age_years', 'must be under 18: the exchange carries alerts for children');
    return null;
  }
}

function caseInput(read: RowReader, originReference: string, occurredAt: string): CaseInput {
  const category = read.oneOf('category', CATEGORIES);
  const urgency = read.oneOf('urgency', URGENCIES);
  const caseCountry = read.country('case_country', true);
  const given = read.required('given_name');
  const family = read.text('family_name');
  const dateOfBirth = read.matching('date_of_birth', DATE, 'a date (2012-03-04)');
  const ageYears = read.ageYears();
  if (dateOfBirth === null && ageYears === null && read.problems.length === 0)
    read.problem('age_years', 'age_years or date_of_birth is required');
  const description = read.text('description');
  const descriptionLang = read.text('description_lang');
  if (description !== null && descriptionLang === null)
    read.problem('description_lang', 'is required with a description');
  const lastSeenAt = read.dateTime('last_seen_at');
  const lastSeenPlace = read.text('last_seen_place');
  return {
    category: category ?? 'RUNAWAY',
    urgency: urgency ?? 'IMMEDIATE',
    originCaseReference: originReference,
    occurredAt,
    countries: {
      caseCountry: caseCountry ?? '',
      lastSeenCountry: read.country('last_seen_country'),
      suspectedDestinations: read.countries('suspected_destinations'),
      knownRoute: [],
    },
    lastSeen:
      lastSeenAt === null && lastSeenPlace === null
        ? null
        : { at: lastSeenAt, place: lastSeenPlace },
    child: {
      names: [{ given, family }],
      dateOfBirth,
      ageYears: dateOfBirth === null ? ageYears : null,
      sex: read.oneOf('sex', SEXES, false),
      descriptions:
        description === null ? [] : [{ lang: descriptionLang ?? '', text: description }],
    },
    contact: { desk: read.text('contact_desk'), phone: read.text('contact_phone') },
  };
}

function requestFor(
  read: RowReader,
  type: RowEventType,
  originReference: string,
  occurredAt: string,
): RowRequest {
  switch (type) {
    case 'RAISED':
      return { kind: 'raise', originReference, body: caseInput(read, originReference, occurredAt) };
    case 'UPDATED':
      return {
        kind: 'event',
        originReference,
        body: { type, ...caseInput(read, originReference, occurredAt) },
      };
    case 'RESOLVED':
      return {
        kind: 'event',
        originReference,
        body: {
          type,
          occurredAt,
          resolution: {
            outcome: read.oneOf<Outcome>('outcome', OUTCOMES) ?? 'OTHER',
            note: read.text('note'),
          },
        },
      };
    case 'WITHDRAWN':
      return {
        kind: 'event',
        originReference,
        body: { type, occurredAt, reason: read.text('note') },
      };
  }
}

/**
 * Maps one CSV row (at `line` of `file`) to the exchange request it stands for: RAISED
 * raises a case, UPDATED, RESOLVED and WITHDRAWN add an event to the case raised for the
 * same `origin_reference`. Either the request or every problem of the row, each naming
 * its column.
 */
export function rowToRequest(row: CsvRow, file: string, line: number): RowOutcome {
  const read = new RowReader(row, file, line);
  const originReference = read.required('origin_reference');
  const type = read.oneOf('event_type', ROW_EVENT_TYPES);
  const occurredAt = read.dateTime('occurred_at', true);
  if (type === null || occurredAt === null) return { ok: false, problems: read.problems };
  const request = requestFor(read, type, originReference, occurredAt);
  return read.problems.length > 0 ? { ok: false, problems: read.problems } : { ok: true, request };
}
