import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rowIdempotencyKey } from './idempotency-key';
import { readCsv } from './read-csv';
import { rowToRequest, type CsvRow } from './row-to-request';

const raised: CsvRow = {
  origin_reference: 'DE-BER-2026-00417',
  event_type: 'RAISED',
  occurred_at: '2026-11-20T18:30:00.000Z',
  category: 'RUNAWAY',
  urgency: 'IMMEDIATE',
  case_country: 'DE',
  last_seen_country: 'DE',
  last_seen_place: 'Berlin Hauptbahnhof, platform 14',
  last_seen_at: '2026-11-20T16:45:00.000Z',
  suspected_destinations: 'AT',
  given_name: 'Eleni',
  family_name: 'Papadopoulou',
  date_of_birth: '2012-03-04',
  sex: 'FEMALE',
  description: '1.58 m, slim, long dark hair, red anorak, grey backpack',
  description_lang: 'en',
  contact_desk: 'Berlin 24h desk',
  contact_phone: '+493012345678',
};

const example = (name: string) =>
  JSON.parse(
    readFileSync(join(__dirname, '../../../../schemas/examples', `${name}.json`), 'utf8'),
  ) as Record<string, unknown>;

describe('rowToRequest', () => {
  it('a RAISED row becomes the body of POST /v1/alerts, as in the runaway example', () => {
    const outcome = rowToRequest(raised, 'cases.csv', 2);
    expect(outcome).toEqual({
      ok: true,
      request: {
        kind: 'raise',
        originReference: 'DE-BER-2026-00417',
        body: expect.objectContaining({
          category: 'RUNAWAY',
          occurredAt: example('raise-runaway').occurredAt,
          countries: {
            caseCountry: 'DE',
            lastSeenCountry: 'DE',
            suspectedDestinations: ['AT'],
            knownRoute: [],
          },
          lastSeen: { at: '2026-11-20T16:45:00.000Z', place: 'Berlin Hauptbahnhof, platform 14' },
          child: {
            names: [{ given: 'Eleni', family: 'Papadopoulou' }],
            dateOfBirth: '2012-03-04',
            ageYears: null,
            sex: 'FEMALE',
            descriptions: [
              { lang: 'en', text: '1.58 m, slim, long dark hair, red anorak, grey backpack' },
            ],
          },
          contact: { desk: 'Berlin 24h desk', phone: '+493012345678' },
        }),
      },
    });
  });

  it.each<[string, CsvRow, unknown]>([
    [
      'UPDATED carries the whole case again',
      { ...raised, event_type: 'updated', suspected_destinations: 'AT; cz' },
      expect.objectContaining({
        type: 'UPDATED',
        countries: expect.objectContaining({ suspectedDestinations: ['AT', 'CZ'] }),
      }),
    ],
    [
      'RESOLVED needs only the outcome and a note',
      {
        origin_reference: 'R1',
        event_type: 'RESOLVED',
        occurred_at: '2026-11-21T15:00:00Z',
        outcome: 'FOUND_SAFE',
        note: 'Found by police',
      },
      {
        type: 'RESOLVED',
        occurredAt: '2026-11-21T15:00:00Z',
        resolution: { outcome: 'FOUND_SAFE', note: 'Found by police' },
      },
    ],
    [
      'WITHDRAWN takes its reason from note',
      { origin_reference: 'R1', event_type: 'WITHDRAWN', occurred_at: '2026-11-20T19:10:00+01:00' },
      { type: 'WITHDRAWN', occurredAt: '2026-11-20T19:10:00+01:00', reason: null },
    ],
  ])('%s', (_name, row, body) => {
    expect(rowToRequest(row, 'cases.csv', 3)).toEqual({
      ok: true,
      request: { kind: 'event', originReference: row.origin_reference, body },
    });
  });

  it('an age in years stands in for the date of birth', () => {
    const outcome = rowToRequest({ ...raised, date_of_birth: '', age_years: '14' }, 'f.csv', 2);
    expect(outcome.ok && outcome.request.body).toMatchObject({
      child: { dateOfBirth: null, ageYears: 14 },
    });
  });

  it.each<[string, CsvRow, string, string]>([
    [
      'a missing reference',
      { ...raised, origin_reference: ' ' },
      'origin_reference',
      'is required',
    ],
    ['an unknown event type', { ...raised, event_type: 'SIGHTED' }, 'event_type', 'must be one of'],
    [
      'a time without a zone',
      { ...raised, occurred_at: '2026-11-20T18:30' },
      'occurred_at',
      'time zone',
    ],
    [
      'an impossible date',
      { ...raised, occurred_at: '2026-13-45T18:30Z' },
      'occurred_at',
      'real date',
    ],
    ['an unknown category', { ...raised, category: 'LOST' }, 'category', 'must be one of'],
    ['a country name', { ...raised, case_country: 'Germany' }, 'case_country', 'alpha-2'],
    [
      'a bad destination',
      { ...raised, suspected_destinations: 'AT;Wien' },
      'suspected_destinations',
      'alpha-2',
    ],
    ['no name', { ...raised, given_name: '' }, 'given_name', 'is required'],
    ['an adult', { ...raised, date_of_birth: '', age_years: '19' }, 'age_years', 'under 18'],
    ['no age at all', { ...raised, date_of_birth: '' }, 'age_years', 'age_years or date_of_birth'],
    [
      'a description without language',
      { ...raised, description_lang: '' },
      'description_lang',
      'is required',
    ],
    [
      'an unknown outcome',
      {
        origin_reference: 'R',
        event_type: 'RESOLVED',
        occurred_at: '2026-11-21T15:00:00Z',
        outcome: 'FOUND',
      },
      'outcome',
      'must be one of',
    ],
  ])('%s is a problem naming the file, line and column', (_name, row, column, message) => {
    const outcome = rowToRequest(row, 'cases.csv', 7);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toContainEqual({
      file: 'cases.csv',
      line: 7,
      column,
      message: expect.stringContaining(message),
    });
    // A problem names the rule, never the value: a value may be the child's data.
    expect(JSON.stringify(outcome.problems)).not.toContain('Eleni');
  });
});

describe('readCsv', () => {
  it('numbers each row by the line it ends on, skipping empty lines', () => {
    const text = 'origin_reference,note\nA,"two\nlines"\n\nB,\n';
    expect(readCsv(text, 'f.csv')).toEqual({
      ok: true,
      rows: [
        { line: 3, row: { origin_reference: 'A', note: 'two\nlines' } },
        { line: 5, row: { origin_reference: 'B', note: '' } },
      ],
    });
  });

  it.each([
    [
      'an unknown column',
      'origin_reference,child_name\nA,Eleni\n',
      'child_name',
      'is not a known column',
    ],
    ['an unclosed quote', 'origin_reference\n"A\n', null, 'not CSV'],
  ])('%s refuses the whole file', (_name, text, column, message) => {
    const outcome = readCsv(text, 'f.csv');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems[0]).toMatchObject({
      file: 'f.csv',
      column,
      message: expect.stringContaining(message),
    });
    expect(JSON.stringify(outcome.problems)).not.toContain('Eleni');
  });
});

describe('rowIdempotencyKey', () => {
  const key = rowIdempotencyKey('DE-1', 'RAISED', '2026-11-20T18:30:00Z');
  it.each([
    ['the same row read again', ['DE-1', 'RAISED', '2026-11-20T18:30:00Z'], true],
    ['the same row with spaces around cells', [' DE-1 ', 'RAISED', '2026-11-20T18:30:00Z '], true],
    ['another case', ['DE-2', 'RAISED', '2026-11-20T18:30:00Z'], false],
    ['another event of the case', ['DE-1', 'UPDATED', '2026-11-20T18:30:00Z'], false],
    ['a later event of the same type', ['DE-1', 'RAISED', '2026-11-20T18:31:00Z'], false],
    ['cells that join to the same text', ['DE-1R', 'AISED', '2026-11-20T18:30:00Z'], false],
  ] as const)('%s: same key %s', (_name, [reference, type, at], same) => {
    expect(rowIdempotencyKey(reference, type, at) === key).toBe(same);
  });

  it('is a short printable header value', () => {
    expect(key).toMatch(/^csv-[0-9a-f]{64}$/);
  });
});
