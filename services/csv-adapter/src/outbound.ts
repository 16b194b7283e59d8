import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Accepted, CaseInput, EventInput } from '@alert-exchange/client';
import { columnOfField } from './domain/columns';
import { rowIdempotencyKey } from './domain/idempotency-key';
import { readCsv } from './domain/read-csv';
import type { RowProblem } from './domain/row-problems';
import { rowToRequest, type RowOutcome } from './domain/row-to-request';
import { folders } from './folders';
import { writeDurably } from './store/durable-file';
import type { OutboundState } from './store/outbound-state';

/** The calls of `ExchangeClient` the outbound pass makes. */
export interface Publisher {
  publishAlert(body: CaseInput, options: { idempotencyKey: string }): Promise<Accepted>;
  publishEvent(
    caseId: string,
    body: EventInput,
    options: { idempotencyKey: string },
  ): Promise<Accepted>;
}

/** What one file's pass did: counts only, nothing of the child's data. */
export interface FileReport {
  readonly file: string;
  readonly published: number;
  readonly alreadyPublished: number;
  readonly refused: number;
  readonly movedToDone: boolean;
}

/** The exchange's refusal of a row (400 naming fields, 409), as problems of the row; else undefined. */
function refusal(error: unknown, file: string, line: number): RowProblem[] | undefined {
  const { status, title, errors } = error as {
    status?: number;
    title?: string;
    errors?: ReadonlyArray<{ path: string; message: string }>;
  };
  if (status === 409) return [{ file, line, column: null, message: title ?? 'conflict' }];
  if (status !== 400) return undefined;
  const named = errors?.length ? errors : [{ path: '', message: title ?? 'refused' }];
  return named.map((e) => ({
    file,
    line,
    column: columnOfField(e.path) ?? null,
    message: `${e.path} ${e.message}`.trim(),
  }));
}

/**
 * Publishes the rows of one dropped file, in order, from where the last pass stopped.
 * Each row is recorded in the state, accepted or refused, before the next is sent; a row
 * already published (by its Idempotency-Key) is skipped. A file whose rows were all
 * accepted moves to `done/`; otherwise `<file>.errors.json` lists the refused rows and
 * the file stays, skipped by later passes until the errors file is deleted (then it is
 * read again: rows already published are skipped, refused ones retried). An error of the
 * exchange that is not a refusal (unavailable, network) stops the pass: the next one
 * resumes at that row with the same key.
 */
export async function publishFile(
  dir: string,
  fileName: string,
  deps: { exchange: Publisher; state: OutboundState },
): Promise<FileReport> {
  const { state } = deps;
  const path = join(dir, fileName);
  const csv = readCsv(await readFile(path, 'utf8'), fileName);
  const counts = { published: 0, alreadyPublished: 0 };
  for (const { line, row } of csv.ok ? csv.rows : []) {
    if (line <= state.progress(fileName).line) continue;
    const outcome = await publishRow(rowToRequest(row, fileName, line), fileName, line, deps);
    if (outcome !== 'refused') counts[outcome] += 1;
  }
  const problems = csv.ok ? state.progress(fileName).problems : csv.problems;
  if (problems.length > 0) {
    const errors = JSON.stringify({ file: fileName, errors: problems }, null, 2);
    await writeDurably(`${path}.errors.json`, errors);
    await state.forget(fileName);
  } else {
    // Forgotten first: a crash before the move reads the file again, every row skipped.
    await state.forget(fileName);
    await mkdir(folders(dir).done, { recursive: true });
    await rename(path, join(dir, 'done', fileName));
  }
  return {
    file: fileName,
    ...counts,
    refused: problems.length,
    movedToDone: problems.length === 0,
  };
}

async function publishRow(
  mapped: RowOutcome,
  fileName: string,
  line: number,
  { exchange, state }: { exchange: Publisher; state: OutboundState },
): Promise<'published' | 'alreadyPublished' | 'refused'> {
  if (!mapped.ok) {
    await state.done(fileName, line, mapped.problems);
    return 'refused';
  }
  const { request } = mapped;
  const type = request.kind === 'raise' ? 'RAISED' : request.body.type;
  const key = rowIdempotencyKey(request.originReference, type, request.body.occurredAt);
  if (state.isPublished(key)) {
    await state.done(fileName, line);
    return 'alreadyPublished';
  }
  const caseId = state.caseOf(request.originReference);
  if (request.kind === 'event' && caseId === undefined) {
    const message = 'no case was raised for this reference: a RAISED row must come first';
    await state.done(fileName, line, [
      { file: fileName, line, column: 'origin_reference', message },
    ]);
    return 'refused';
  }
  const options = { idempotencyKey: key };
  try {
    const accepted =
      request.kind === 'raise'
        ? await exchange.publishAlert(request.body, options)
        : await exchange.publishEvent(caseId ?? '', request.body, options);
    const { originReference } = request;
    await state.published({ fileName, line, originReference, idempotencyKey: key }, accepted);
    return 'published';
  } catch (error) {
    const refused = refusal(error, fileName, line);
    if (!refused) throw error;
    await state.done(fileName, line, refused);
    return 'refused';
  }
}

/**
 * One outbound pass over the drop folder: every `*.csv` file without an `.errors.json`
 * beside it, in name order (the case system names them so that earlier events sort first).
 */
export async function outboundPass(
  dir: string,
  deps: { exchange: Publisher; state: OutboundState },
): Promise<FileReport[]> {
  const names = new Set(await readdir(dir));
  const files = [...names]
    .filter((name) => name.endsWith('.csv') && !names.has(`${name}.errors.json`))
    .sort();
  const reports: FileReport[] = [];
  for (const name of files) reports.push(await publishFile(dir, name, deps));
  return reports;
}
