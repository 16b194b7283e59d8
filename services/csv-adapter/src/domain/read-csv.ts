import { CsvError, parse } from 'csv-parse/sync';
import { COLUMNS } from './columns';
import type { RowProblem } from './row-problems';
import type { CsvRow } from './row-to-request';

/** A row of a file with the line it ends on (1 is the header). */
export interface NumberedRow {
  readonly line: number;
  readonly row: CsvRow;
}

export type CsvFile =
  | { readonly ok: true; readonly rows: readonly NumberedRow[] }
  | { readonly ok: false; readonly problems: readonly RowProblem[] };

/**
 * Reads an outbound CSV file (RFC 4180: comma-separated, double quotes, UTF-8, a header
 * row naming the columns of `COLUMNS`). An unknown column or a file that is not CSV is a
 * problem of the whole file: none of its rows is published.
 */
export function readCsv(text: string, file: string): CsvFile {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  let header: string[] = [];
  try {
    records = parse(text, {
      bom: true,
      columns: (names: string[]) => (header = names.map((n) => n.trim())),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === 'number' ? error.lines : 1;
    // The code, not the library's message: that may quote a cell of the child's data.
    return {
      ok: false,
      problems: [{ file, line, column: null, message: `not CSV (${error.code})` }],
    };
  }
  const unknown = header.filter((name) => !(name in COLUMNS));
  if (unknown.length > 0)
    return {
      ok: false,
      problems: unknown.map((column) => ({
        file,
        line: 1,
        column,
        message: 'is not a known column',
      })),
    };
  return { ok: true, rows: records.map(({ record, info }) => ({ line: info.lines, row: record })) };
}
