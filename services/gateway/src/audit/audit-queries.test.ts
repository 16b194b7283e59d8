import type { z } from 'zod';
import { validate, type InputError } from '@alert-exchange/platform';
import { CaseTrailQuery, CompletenessQuery, DeliveriesQuery, ProofQuery } from './audit-queries';

const CASE = 'c0000000-0000-4000-8000-00000000000a';

function outcome(schema: z.ZodType, input: unknown): unknown {
  try {
    return validate(schema, input);
  } catch (error) {
    return { paths: (error as InputError).errors.map((e) => e.path) };
  }
}

describe('the audit API queries', () => {
  it.each<[string, z.ZodType, unknown, unknown]>([
    [
      'a case trail, JSON by default',
      CaseTrailQuery,
      { params: { caseId: CASE.toUpperCase() }, query: {} },
      { params: { caseId: CASE }, query: { format: 'json' } },
    ],
    [
      'a case trail as CSV',
      CaseTrailQuery,
      { params: { caseId: CASE }, query: { format: 'csv' } },
      { params: { caseId: CASE }, query: { format: 'csv' } },
    ],
    [
      'a case id that is no UUID',
      CaseTrailQuery,
      { params: { caseId: 'case-1' }, query: {} },
      { paths: ['/params/caseId'] },
    ],
    [
      'a format we do not write',
      CaseTrailQuery,
      { params: { caseId: CASE }, query: { format: 'xml' } },
      { paths: ['/query/format'] },
    ],
    [
      'unacknowledged deliveries older than an hour',
      DeliveriesQuery,
      { query: { state: 'unacknowledged', olderThan: 'PT1H' } },
      { query: { state: 'unacknowledged', olderThan: 3_600_000 } },
    ],
    [
      'unacknowledged deliveries of any age',
      DeliveriesQuery,
      { query: { state: 'unacknowledged' } },
      { query: { state: 'unacknowledged', olderThan: 0 } },
    ],
    [
      'another state',
      DeliveriesQuery,
      { query: { state: 'delivered' } },
      { paths: ['/query/state'] },
    ],
    ['no state', DeliveriesQuery, { query: {} }, { paths: ['/query/state'] }],
    [
      'a duration that is not ISO 8601',
      DeliveriesQuery,
      { query: { state: 'unacknowledged', olderThan: '1 hour' } },
      { paths: ['/query/olderThan'] },
    ],
    ['record 0', ProofQuery, { params: { seq: '0' } }, { params: { seq: 0 } }],
    ['record 4711', ProofQuery, { params: { seq: '4711' } }, { params: { seq: 4711 } }],
    ['a negative record', ProofQuery, { params: { seq: '-1' } }, { paths: ['/params/seq'] }],
    [
      'a record with a leading zero',
      ProofQuery,
      { params: { seq: '07' } },
      { paths: ['/params/seq'] },
    ],
    [
      'a record past 2^53',
      ProofQuery,
      { params: { seq: '12345678901234567' } },
      { paths: ['/params/seq'] },
    ],
    [
      'a day',
      CompletenessQuery,
      { query: { from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00+01:00' } },
      {
        query: { from: Date.parse('2026-11-20T00:00:00Z'), to: Date.parse('2026-11-20T23:00:00Z') },
      },
    ],
    [
      'a window that ends before it starts',
      CompletenessQuery,
      { query: { from: '2026-11-21T00:00:00Z', to: '2026-11-20T00:00:00Z' } },
      { paths: ['/query/to'] },
    ],
    [
      'a window of 32 days',
      CompletenessQuery,
      { query: { from: '2026-10-01T00:00:00Z', to: '2026-11-02T00:00:00Z' } },
      { paths: ['/query/to'] },
    ],
    [
      'a window without its start, and an end without a zone',
      CompletenessQuery,
      { query: { to: '2026-11-20T00:00:00' } },
      { paths: ['/query/from', '/query/to'] },
    ],
  ])('%s', (_what, schema, input, expected) => {
    expect(outcome(schema, input)).toEqual(expected);
  });
});
