import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Delivery, InboxPage } from '@alert-exchange/client';
import { inboundPass, type InboxReader } from './inbound';
import { InboundState } from './store/inbound-state';

const delivery = (n: number) =>
  ({ deliveryId: `d${n}`, caseId: 'c1', eventType: 'RAISED' }) as unknown as Delivery;

/** An inbox of three deliveries, one page each; acknowledgements can fail once. */
class FakeInbox implements InboxReader {
  readonly acks: string[] = [];
  failAckOf: string | undefined;

  inbox({ after }: { after?: string }): Promise<InboxPage> {
    const at = after === undefined ? 0 : Number(after);
    const page: InboxPage =
      at < 3
        ? { deliveries: [delivery(at + 1)], next: String(at + 1) }
        : { deliveries: [], next: after ?? null };
    return Promise.resolve(page);
  }

  acknowledge(deliveryId: string): Promise<unknown> {
    if (this.failAckOf === deliveryId) {
      this.failAckOf = undefined;
      return Promise.reject(new Error('connection reset'));
    }
    this.acks.push(deliveryId);
    return Promise.resolve({});
  }
}

describe('inboundPass', () => {
  it('writes each delivery once and acknowledges it, across a crash between the write and the acknowledgement', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-inbound-'));
    const stateFile = join(dir, '.state', 'inbound.json');
    const exchange = new FakeInbox();
    exchange.failAckOf = 'd2';
    await expect(
      inboundPass(dir, { exchange, state: await InboundState.open(stateFile) }),
    ).rejects.toThrow('connection reset');
    const report = await inboundPass(dir, { exchange, state: await InboundState.open(stateFile) });
    expect(report).toEqual({ written: 1, duplicates: 1 });
    expect(readdirSync(join(dir, 'inbox'))).toEqual([
      '00000001-d1.json',
      '00000002-d2.json',
      '00000003-d3.json',
    ]);
    expect(exchange.acks).toEqual(['d1', 'd2', 'd3']);
    expect((await InboundState.open(stateFile)).cursor).toBe('3');
  });
});
