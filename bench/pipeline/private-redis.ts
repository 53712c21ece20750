/**
 * A Redis server of the benchmark's own (no persistence, in a temporary folder), so the run
 * neither disturbs nor is disturbed by a shared Redis, its CPU can be read from /proc, and its
 * command statistics count our commands only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface PrivateRedis {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The settings docker-compose.yml runs Redis with that change memory or speed (persistence
 * apart: a benchmark has nothing to keep): small hashes stay packed.
 */
export const SHIPPED_REDIS_SETTINGS = ['--hash-max-listpack-value', '256', '--hash-max-listpack-entries', '1024'];

/** How long redis-server may take to accept connections before the benchmark gives up. */
const START_TIMEOUT_MS = 10_000;

export async function startPrivateRedis(port: number, settings: readonly string[] = SHIPPED_REDIS_SETTINGS): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...settings],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${child.exitCode} (port in use?)`);
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    let answeringPid: number | null = null;
    try {
      await probe.connect();
      answeringPid = serverPid(await probe.info('server'));
    } catch {
      // not accepting connections yet
    } finally {
      probe.disconnect();
    }
    // Another redis-server already on the port answers before ours fails to bind and exits:
    // the run would measure (and flush) a server that is not its own.
    if (answeringPid !== null && answeringPid !== child.pid) {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`port ${port} is taken by another redis-server (pid ${answeringPid}): stop it or pick another port (--redis-port)`);
    }
    if (answeringPid !== null) break;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The process_id line of INFO server. */
function serverPid(info: string): number | null {
  const match = /^process_id:(\d+)/m.exec(info);
  return match ? Number(match[1]) : null;
}
