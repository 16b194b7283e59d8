import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isAlive, stopGroup } from './processes';

/** What a running stack left on disk so that another process can find and stop it. */
export interface StackState {
  /** The process that started the stack (the start command, or a test run). */
  readonly ownerPid: number;
  readonly processes: ReadonlyArray<{ name: string; pid: number }>;
  readonly endpoints: Readonly<Record<string, string>>;
}

export function writeState(file: string, state: StackState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(state, null, 2));
}

export function readState(file: string): StackState | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as StackState;
}

/** Stops every process a state file names (process groups, newest first) and removes the file. */
export async function stopFromState(file: string): Promise<string[]> {
  const state = readState(file);
  if (!state) return [];
  const stopped: string[] = [];
  for (const { name, pid } of [...state.processes].reverse()) {
    if (isAlive(-pid) || isAlive(pid)) {
      await stopGroup(pid);
      stopped.push(`${name} (pid ${pid})`);
    }
  }
  rmSync(file, { force: true });
  return stopped;
}

/**
 * Stops stacks whose owner died without tearing them down (a test run killed by a signal):
 * every state file in `dir` whose ownerPid is gone.
 */
export async function reapOrphans(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const stopped: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (!entry.endsWith('.json')) continue;
    const file = join(dir, entry);
    const state = readState(file);
    if (state && !isAlive(state.ownerPid)) stopped.push(...(await stopFromState(file)));
  }
  return stopped;
}
