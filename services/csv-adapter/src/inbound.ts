import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { AckStatus, Delivery, InboxPage } from '@alert-exchange/client';
import { folders } from './folders';
import { writeDurably } from './store/durable-file';
import type { InboundState } from './store/inbound-state';

/** The calls of `ExchangeClient` the inbound pass makes. */
export interface InboxReader {
  inbox(options: { after?: string; wait?: number }): Promise<InboxPage>;
  acknowledge(deliveryId: string, body: { status: AckStatus }): Promise<unknown>;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Hands one delivery to the case system: written as a JSON file into `inbox/` (durably:
 * the case system never reads half a file), recorded in the state, then acknowledged
 * RECEIVED. A delivery written before (the same deliveryId: a retry, a replay, or a
 * restart before the cursor was stored) is not written again, only acknowledged again,
 * which is harmless. Returns whether a file was written.
 */
async function receive(
  delivery: Delivery,
  inbox: string,
  deps: { exchange: InboxReader; state: InboundState },
): Promise<boolean> {
  const { exchange, state } = deps;
  const earlier = state.fileOf(delivery.deliveryId);
  const fileName = earlier ?? state.nextFileName(delivery.deliveryId);
  // The state is saved after the rename: a crash in between leaves the file, found here.
  const write = earlier === undefined && !(await exists(join(inbox, fileName)));
  if (write) await writeDurably(join(inbox, fileName), JSON.stringify(delivery, null, 2));
  if (earlier === undefined) await state.written(delivery.deliveryId, fileName);
  await exchange.acknowledge(delivery.deliveryId, { status: 'RECEIVED' });
  return write;
}

/** What an inbound pass did: counts only. */
export interface InboundReport {
  readonly written: number;
  readonly duplicates: number;
}

/**
 * Reads the pull inbox from the stored cursor until it is empty (or, with `follow`, until
 * `signal` aborts, long-polling `wait` seconds at a time), handing each delivery to the
 * case system; the cursor is stored after each page is written and acknowledged, so a
 * restart resumes there and writes nothing twice.
 */
export async function inboundPass(
  dir: string,
  deps: { exchange: InboxReader; state: InboundState },
  options: { follow?: boolean; wait?: number; signal?: AbortSignal } = {},
): Promise<InboundReport> {
  const { inbox } = folders(dir);
  const report = { written: 0, duplicates: 0 };
  while (!options.signal?.aborted) {
    const page = await deps.exchange.inbox({
      after: deps.state.cursor ?? undefined,
      wait: options.follow ? (options.wait ?? 30) : 0,
    });
    for (const delivery of page.deliveries) {
      if (await receive(delivery, inbox, deps)) report.written += 1;
      else report.duplicates += 1;
    }
    if (page.next !== null && page.next !== deps.state.cursor) await deps.state.moveTo(page.next);
    if (page.deliveries.length === 0 && !options.follow) break;
  }
  return report;
}
