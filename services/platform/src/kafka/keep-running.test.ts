import pino from 'pino';
import { KeepRunning, restartDelayMs, type RestartPolicy, type Supervised } from './keep-running';

const POLICY: RestartPolicy = { initialMs: 1_000, maxMs: 30_000 };

describe('restartDelayMs', () => {
  it.each<[number, number]>([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [5, 16_000],
    [6, 30_000],
    [7, 30_000],
    [100, 30_000],
    [Number.MAX_SAFE_INTEGER, 30_000],
  ])('attempt %i waits %i ms', (attempt, ms) => {
    expect(restartDelayMs(attempt, POLICY)).toBe(ms);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses attempt %p', (attempt) => {
    expect(() => restartDelayMs(attempt, POLICY)).toThrow(RangeError);
  });
});

/** A component whose starts fail `failures` times (a broker still away), then succeed. */
class Flaky implements Supervised {
  readonly calls: string[] = [];
  constructor(private failures: number) {}
  async start(): Promise<void> {
    this.calls.push('start');
    if (this.failures-- > 0) throw new Error('broker unreachable');
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
  }
}

describe('KeepRunning', () => {
  const logger = pino({ level: 'silent' });

  it('restarts a stopped component with growing waits until a start succeeds', async () => {
    const component = new Flaky(0);
    const waits: number[] = [];
    const keeper = new KeepRunning('test', component, logger, POLICY, async (ms) => {
      waits.push(ms);
    });
    await keeper.start();
    expect(keeper.running).toBe(true);
    component['failures'] = 3;
    const restart = keeper.failed(new Error('consumer crashed'));
    expect(keeper.running).toBe(false);
    await restart;
    expect(keeper.running).toBe(true);
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(component.calls).toEqual([
      'start',
      ...['stop', 'start', 'stop', 'start', 'stop', 'start', 'stop', 'start'],
    ]);
    expect(keeper.restarts).toBe(1);
  });

  it('takes reports made during a restart as the same one', async () => {
    const component = new Flaky(0);
    let release!: () => void;
    const keeper = new KeepRunning(
      'test',
      component,
      logger,
      POLICY,
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    await keeper.start();
    const first = keeper.failed(new Error('one'));
    const second = keeper.failed(new Error('two'));
    expect(second).toBe(first);
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await first;
    expect(keeper.restarts).toBe(1);
    expect(component.calls).toEqual(['start', 'stop', 'start']);
  });

  it('gives up restarting once stopped for shutdown, leaving the component stopped', async () => {
    const component = new Flaky(0);
    let release!: () => void;
    const keeper = new KeepRunning(
      'test',
      component,
      logger,
      POLICY,
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    await keeper.start();
    const restart = keeper.failed(new Error('crash'));
    await new Promise((resolve) => setImmediate(resolve));
    await keeper.stop();
    release();
    await restart;
    expect(keeper.running).toBe(false);
    expect(keeper.restarts).toBe(0);
    expect(component.calls).toEqual(['start', 'stop', 'stop']);
    await keeper.failed(new Error('after shutdown'));
    expect(component.calls).toHaveLength(3);
  });
});
