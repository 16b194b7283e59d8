import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { messageKey, type CapMessageRef } from '../domain/cap-model';
import type { CapMessageRecord } from '../domain/exchange-to-cap';

/** A CAP message the adapter published, and where it went. */
export interface ImportedMessage extends CapMessageRef {
  readonly caseId: string;
  readonly eventId: string;
  readonly msgType: string;
}

/**
 * Which case each imported CAP message went to (sender and identifier → caseId), so that
 * a later Update or Cancel finds its case and an export keeps the CAP identity. Kept in a
 * JSON file, written whole to a temporary file and renamed over the old one (POSIX
 * rename is atomic): a crash leaves the old mapping or the new, never half of one. One
 * adapter process writes a file at a time.
 */
export class MessageStore {
  private constructor(
    private readonly file: string,
    private readonly messages: ImportedMessage[],
  ) {}

  /** Opens the store kept in `file`; a missing file is an empty store. */
  static async open(file: string): Promise<MessageStore> {
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as { messages: ImportedMessage[] };
      return new MessageStore(file, parsed.messages);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new MessageStore(file, []);
      throw error;
    }
  }

  /** Every message imported, by `messageKey`, with its case. */
  known(): Map<string, string> {
    return new Map(this.messages.map((m) => [messageKey(m), m.caseId]));
  }

  find(ref: Pick<CapMessageRef, 'sender' | 'identifier'>): ImportedMessage | undefined {
    return this.messages.find((m) => messageKey(m) === messageKey(ref));
  }

  /** The CAP messages of a case, oldest first. */
  history(caseId: string): CapMessageRecord[] {
    return this.messages
      .filter((m) => m.caseId === caseId)
      .map(({ sender, identifier, sent, eventId }) => ({ sender, identifier, sent, eventId }));
  }

  async record(message: ImportedMessage): Promise<void> {
    this.messages.push(message);
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify({ messages: this.messages }, null, 2));
    await rename(temporary, this.file);
  }
}
