import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `content` to `file` so that a crash leaves the old file or the new one, never
 * half of one: written to a temporary file in the same folder, flushed to disk (fsync),
 * renamed over the old one (POSIX rename is atomic), and the folder flushed so that the
 * rename itself survives a power cut. A reader never sees a partial file.
 */
export async function writeDurably(file: string, content: string): Promise<void> {
  const folder = dirname(file);
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `.${basename(file)}.${process.pid}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  const directory = await open(folder, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** Reads a JSON file written by `writeDurably`; a missing file gives `empty`. */
export async function readJson<T>(file: string, empty: T): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty;
    throw error;
  }
}

/**
 * A state kept whole in one JSON file, saved with `writeDurably` after each change: a
 * crash leaves the state before the change or after it. One process writes a file.
 */
export abstract class StateFile<T> {
  protected constructor(
    private readonly file: string,
    protected readonly data: T,
  ) {}

  protected save(): Promise<void> {
    return writeDurably(this.file, JSON.stringify(this.data, null, 2));
  }
}
