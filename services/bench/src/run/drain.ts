import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits until `count()` reaches `expected`, or nothing more has come for `stallMs`, or
 * `timeoutMs` passed: whatever has not come by then counts as lost.
 */
export async function waitForDrain(
  count: () => number,
  expected: number,
  { timeoutMs, stallMs = 20_000 }: { timeoutMs: number; stallMs?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const now = count();
    if (now >= expected || Date.now() > deadline) return;
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) return;
    await sleep(500);
  }
}

/** Calls `tick(seconds elapsed)` once a second until the promise settles. */
export async function withTicks<T>(work: Promise<T>, tick: (seconds: number) => void): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => tick((Date.now() - started) / 1_000), 1_000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
