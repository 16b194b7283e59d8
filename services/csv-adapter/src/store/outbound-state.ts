import type { RowProblem } from '../domain/row-problems';
import { readJson, StateFile } from './durable-file';

interface FileProgress {
  /** The last line whose row is done (published, published before, or refused). */
  line: number;
  /** The problems of the refused rows so far. */
  problems: RowProblem[];
}

interface OutboundStateData {
  /** The case system's reference → the exchange's caseId. */
  cases: Record<string, string>;
  /** Idempotency-Key of each row the exchange accepted → its eventId. */
  published: Record<string, string>;
  /** Per file being read: how far, and what was refused. */
  files: Record<string, FileProgress>;
}

/**
 * What the outbound pass has done, kept in a JSON file written durably after each row
 * (accepted or refused): which case each origin reference raised, which rows were
 * published, and how far each file was read. One outbound process writes it.
 */
export class OutboundState extends StateFile<OutboundStateData> {
  static async open(file: string): Promise<OutboundState> {
    const data = await readJson<OutboundStateData>(file, { cases: {}, published: {}, files: {} });
    return new OutboundState(file, data);
  }

  caseOf(originReference: string): string | undefined {
    return this.data.cases[originReference];
  }

  isPublished(idempotencyKey: string): boolean {
    return idempotencyKey in this.data.published;
  }

  /** How far `fileName` is done: its last line done (1, the header, when none) and problems. */
  progress(fileName: string): FileProgress {
    return this.data.files[fileName] ?? { line: 1, problems: [] };
  }

  /** Records a row the exchange accepted. */
  published(
    row: { fileName: string; line: number; originReference: string; idempotencyKey: string },
    accepted: { caseId: string; eventId: string },
  ): Promise<void> {
    this.data.cases[row.originReference] = accepted.caseId;
    this.data.published[row.idempotencyKey] = accepted.eventId;
    return this.done(row.fileName, row.line);
  }

  /** Records that the row at `line` is done, refused for `problems` if any. */
  done(fileName: string, line: number, problems: readonly RowProblem[] = []): Promise<void> {
    const progress = this.progress(fileName);
    this.data.files[fileName] = { line, problems: [...progress.problems, ...problems] };
    return this.save();
  }

  /** Forgets a file's progress once it is finished (its rows stay published). */
  forget(fileName: string): Promise<void> {
    delete this.data.files[fileName];
    return this.save();
  }
}
