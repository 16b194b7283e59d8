import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A process of the stack, started in its own process group so that stopping it stops its children. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Set once the process has exited, with its code or signal. */
  readonly exited: () => string | undefined;
  /** SIGTERM to the group, then SIGKILL after `graceMs`; resolves once it is gone. */
  readonly stop: (graceMs?: number) => Promise<void>;
}

/** True while a process (or process group, with a negative id) exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops the process group `pid`: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopGroup(pid: number, graceMs = 15_000): Promise<void> {
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(-pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(-pid)) {
    signal('SIGKILL');
    while (isAlive(-pid)) await sleep(50);
  }
}

/** Starts `command` detached in its own process group, its output appended to `logFile`. */
export function startProcess(options: {
  name: string;
  command: string;
  args: readonly string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}): ManagedProcess {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, 'a');
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exitReason: string | undefined;
  let spawnError: string | undefined;
  child.on('error', (error) => {
    spawnError = error.message;
  });
  child.on('exit', (code, sig) => {
    exitReason = sig ? `killed by ${sig}` : `exited with code ${code}`;
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited: () => spawnError ?? exitReason,
    stop: async (graceMs) => {
      if (exitReason === undefined) await stopGroup(pid, graceMs);
      while (exitReason === undefined && spawnError === undefined && isAlive(pid)) await sleep(50);
    },
  };
}
