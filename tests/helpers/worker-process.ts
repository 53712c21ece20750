/**
 * A worker in a process of its own (worker-process-entry.ts), for tests of what happens when a
 * worker dies: unlike `ingest worker`, it takes the lease timings it is given (a short job lock
 * and politeness lease), so a killed worker's work is taken over in seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerLeaseTiming } from '../../workers/start-workers.ts';

/** Runs under tsx, as spawnCli's command does: the sources use syntax type stripping refuses. */
const ENTRY = fileURLToPath(new URL('./worker-process-entry.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves when the workers wait for jobs; rejects if the process ends first. */
  ready: Promise<void>;
  /** Resolves with the exit code (null when killed by a signal) and what it wrote on stderr. */
  exited: Promise<{ code: number | null; stderr: string }>;
}

export function spawnWorkerProcess(env: Record<string, string>, options: WorkerLeaseTiming & { concurrency: number }): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...[options.jobLockMs, options.politenessLeaseMs, options.concurrency].map(String)], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready\n')) resolve();
    });
    void exited.then(({ code }) => reject(new Error(`worker process exited (${code}) before it was ready: ${stderr.slice(-2000)}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited };
}
