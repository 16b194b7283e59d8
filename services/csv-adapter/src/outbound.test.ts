import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnavailableError, type Accepted } from '@alert-exchange/client';
import { outboundPass, type Publisher } from './outbound';
import { OutboundState } from './store/outbound-state';

const CSV = [
  'origin_reference,event_type,occurred_at,category,urgency,case_country,given_name,age_years,outcome',
  'R1,RAISED,2026-11-20T18:30:00Z,RUNAWAY,IMMEDIATE,DE,Eleni,13,',
  'R2,RAISED,2026-11-20T19:00:00Z,RUNAWAY,EXPECTED,DE,Jonas,9,',
  'R1,RESOLVED,2026-11-21T09:00:00Z,,,,,,FOUND_SAFE',
  'R3,UPDATED,2026-11-21T09:00:00Z,RUNAWAY,EXPECTED,DE,Mia,9,',
].join('\n');

/** An exchange that answers by key, as the gateway does, and can fail one call. */
class FakeExchange implements Publisher {
  readonly answers = new Map<string, Accepted>();
  readonly sent: Array<{ key: string; caseId?: string }> = [];
  failOnCall = 0;

  publishAlert(_body: unknown, { idempotencyKey }: { idempotencyKey: string }) {
    return this.answer(idempotencyKey, `case-${this.answers.size + 1}`);
  }

  publishEvent(caseId: string, _body: unknown, { idempotencyKey }: { idempotencyKey: string }) {
    return this.answer(idempotencyKey, caseId);
  }

  private answer(key: string, caseId: string): Promise<Accepted> {
    this.sent.push({ key, caseId });
    if (this.sent.length === this.failOnCall)
      return Promise.reject(new UnavailableError('Service Unavailable', true, { status: 503 }));
    const accepted = this.answers.get(key) ?? { caseId, eventId: `event-${key}`, traceId: 't' };
    this.answers.set(key, accepted);
    return Promise.resolve(accepted);
  }
}

const setUp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'csv-outbound-'));
  writeFileSync(join(dir, 'cases.csv'), CSV);
  return { dir, stateFile: join(dir, '.state', 'outbound.json') };
};

describe('outboundPass', () => {
  it('resumes after the exchange failed part-way, publishing each row once and listing the refused ones', async () => {
    const { dir, stateFile } = setUp();
    const exchange = new FakeExchange();
    exchange.failOnCall = 2;
    await expect(
      outboundPass(dir, { exchange, state: await OutboundState.open(stateFile) }),
    ).rejects.toBeInstanceOf(UnavailableError);
    // A restart: the state as the crashed process left it on disk.
    const reports = await outboundPass(dir, {
      exchange,
      state: await OutboundState.open(stateFile),
    });
    expect(reports).toEqual([
      { file: 'cases.csv', published: 2, alreadyPublished: 0, refused: 1, movedToDone: false },
    ]);
    // The failed call was sent again with the same key; no row went through twice.
    const keys = exchange.sent.map((s) => s.key);
    expect(keys).toHaveLength(4);
    expect(keys[1]).toBe(keys[2]);
    expect(exchange.answers.size).toBe(3);
    expect(exchange.sent[3]!.caseId).toBe('case-1');
    const errors = JSON.parse(readFileSync(join(dir, 'cases.csv.errors.json'), 'utf8')) as object;
    expect(errors).toEqual({
      file: 'cases.csv',
      errors: [
        { file: 'cases.csv', line: 5, column: 'origin_reference', message: expect.any(String) },
      ],
    });
  });

  it('moves a fully published file to done/, and a later pass skips files with errors', async () => {
    const { dir, stateFile } = setUp();
    writeFileSync(join(dir, 'cases.csv'), CSV.split('\n').slice(0, 4).join('\n'));
    writeFileSync(join(dir, 'old.csv'), CSV);
    writeFileSync(join(dir, 'old.csv.errors.json'), '{}');
    const exchange = new FakeExchange();
    const state = await OutboundState.open(stateFile);
    expect(await outboundPass(dir, { exchange, state })).toEqual([
      { file: 'cases.csv', published: 3, alreadyPublished: 0, refused: 0, movedToDone: true },
    ]);
    expect(readdirSync(join(dir, 'done'))).toEqual(['cases.csv']);
    expect(await outboundPass(dir, { exchange, state })).toEqual([]);
  });
});
