import { readJson, StateFile } from './durable-file';

/** How many delivery ids are remembered for de-duplication (replays come from the past). */
const REMEMBERED = 10_000;

interface InboundStateData {
  /** The inbox cursor: `next` of the last page fully written and acknowledged. */
  cursor: string | null;
  /** How many files were written: the sequence number of the next file's name. */
  written: number;
  /** deliveryId → the file it was written to, oldest first. */
  delivered: Record<string, string>;
}

/**
 * Where the inbound pass is in the inbox and which deliveries it wrote, kept in a JSON
 * file written durably after each delivery and each page. One inbound process writes it.
 */
export class InboundState extends StateFile<InboundStateData> {
  static async open(file: string): Promise<InboundState> {
    const data = await readJson<InboundStateData>(file, {
      cursor: null,
      written: 0,
      delivered: {},
    });
    return new InboundState(file, data);
  }

  get cursor(): string | null {
    return this.data.cursor;
  }

  /** The name of the file the delivery was written to, if it was. */
  fileOf(deliveryId: string): string | undefined {
    return this.data.delivered[deliveryId];
  }

  /** The name the next delivery's file gets: a sequence number keeps the inbox in order. */
  nextFileName(deliveryId: string): string {
    return `${String(this.data.written + 1).padStart(8, '0')}-${deliveryId}.json`;
  }

  async written(deliveryId: string, fileName: string): Promise<void> {
    this.data.written += 1;
    this.data.delivered[deliveryId] = fileName;
    const ids = Object.keys(this.data.delivered);
    for (const old of ids.slice(0, Math.max(0, ids.length - REMEMBERED)))
      delete this.data.delivered[old];
    await this.save();
  }

  async moveTo(cursor: string): Promise<void> {
    this.data.cursor = cursor;
    await this.save();
  }
}
