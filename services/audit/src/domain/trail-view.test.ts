import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS, trailCsv, trailEntry, type RecordLine } from './trail-view';

const line = (seq: number, more: Partial<RecordLine> = {}): RecordLine => ({
  type: 'record',
  seq,
  at: Date.parse('2026-11-23T10:00:00.000Z') + seq,
  kind: 'ROUTED',
  actor: 'router',
  caseId: 'case-1',
  recipient: 'hotline-fr',
  deliveryId: 'd-1',
  eventId: 'e-1',
  detail: { source: 'routing-records/0/4#0', reasons: 'hotline-of-destination: country=FR; x' },
  traceId: null,
  prevHash: '00'.repeat(32),
  hash: 'ab'.repeat(32),
  ...more,
});

describe('the trail as auditors see it', () => {
  it('shows a record with its time in ISO 8601 and its hashes in hex', () => {
    expect(trailEntry(line(3))).toEqual({
      seq: 3,
      at: '2026-11-23T10:00:00.003Z',
      kind: 'ROUTED',
      actor: 'router',
      recipient: 'hotline-fr',
      deliveryId: 'd-1',
      eventId: 'e-1',
      caseId: 'case-1',
      detail: line(3).detail,
      traceId: null,
      hash: 'ab'.repeat(32),
      prevHash: '00'.repeat(32),
    });
  });

  it('writes CSV with a header, one row per entry, quoting what needs it, and reads back', () => {
    const entries = [
      line(0, { kind: 'RECEIVED', recipient: null, deliveryId: null }),
      line(1, { detail: { note: 'a "quoted", multi\nline value', a: 'b' } }),
    ].map(trailEntry);
    const csv = trailCsv(entries);
    expect(csv.startsWith(`${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    const rows = parse<Record<string, string>>(csv, { columns: true });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ seq: '0', kind: 'RECEIVED', recipient: '', deliveryId: '' });
    expect(JSON.parse(rows[1]!.detail!)).toEqual({ a: 'b', note: 'a "quoted", multi\nline value' });
    expect(rows[1]!.detail).toBe('{"a":"b","note":"a \\"quoted\\", multi\\nline value"}');
  });

  it('writes only the header for an empty trail', () => {
    expect(trailCsv([])).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });
});
