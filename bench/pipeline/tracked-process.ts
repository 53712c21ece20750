/** A child process of the benchmark, with its spawn time, its output and its exit. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface TrackedProcess {
  name: string;
  child: ChildProcess;
  spawnedAt: number;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  stdout(): string;
  stderr(): string;
  /** Resolves at the first line of stdout or stderr that `match` accepts (ms since spawn). */
  waitForLine(match: (line: string) => boolean): Promise<number>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

export function spawnTracked(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv): TrackedProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const spawnedAt = performance.now();
  let out = '';
  let err = '';
  const waiters: Array<{ match: (line: string) => boolean; resolve: (ms: number) => void }> = [];
  const onLines = (chunk: string) => {
    for (const line of chunk.split('\n')) {
      for (const waiter of [...waiters]) {
        if (waiter.match(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(performance.now() - spawnedAt);
        }
      }
    }
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    onLines(chunk);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    onLines(chunk);
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    name,
    child,
    spawnedAt,
    exited,
    stdout: () => out,
    stderr: () => err,
    waitForLine: (match) => new Promise((resolve) => waiters.push({ match, resolve })),
    async stop(graceMs) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The last JSON line a child printed on stdout (its figures). */
export function lastJsonLine<T>(process: TrackedProcess): T {
  const lines = process.stdout().trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1] ?? '') as T;
  } catch {
    throw new Error(`${process.name} printed no figures; stderr:\n${process.stderr().slice(-2000)}`);
  }
}
