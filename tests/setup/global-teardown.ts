import { rmSync } from 'node:fs';
import { stopFromState, type Stack } from '@alert-exchange/devstack';

/** Stops the stack global-setup started (nothing, if the run used an external one). */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __exchangeStack?: Pick<Stack, 'stop'> };
  const stack = holder.__exchangeStack;
  if (!stack) return;
  // The state file is the truth: a test may have replaced a process (a registry restart).
  if (process.env.EXCHANGE_TEST_STACK_STATE)
    await stopFromState(process.env.EXCHANGE_TEST_STACK_STATE);
  await stack.stop();
  delete holder.__exchangeStack;
  const dir = process.env.EXCHANGE_TEST_STACK_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (process.env.EXCHANGE_TEST_STACK_STATE)
    rmSync(process.env.EXCHANGE_TEST_STACK_STATE, { force: true });
}
