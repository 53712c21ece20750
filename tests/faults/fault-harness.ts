/**
 * The machinery of the fault run: worker processes of the real `ingest` command (with their
 * peak RSS sampled from /proc), a private redis-server, and what the database and the queues
 * say at the end of a scenario.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { testRedisPorts } from '../helpers/test-redis-ports.ts';
import { deleteKeysWithPrefix } from '../helpers/redis-test-prefix.ts';

/** The checkout whose `bin/ingest.js` runs (INGEST_ROOT: another checkout, for before/after figures). */
export const INGEST_ROOT = process.env['INGEST_ROOT'] ?? new URL('../..', import.meta.url).pathname;

/** Ports for private Redis servers of tests (6391..6399 unless TEST_REDIS_PORTS says otherwise). */
const PRIVATE_REDIS_PORTS = testRedisPorts().privateServers;

/** How often a worker's peak RSS (VmHWM) is read. */
const RSS_SAMPLE_MS = 250;

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  alive(): boolean;
  peakRssBytes(): number;
  /** Its stderr so far (JSON log lines). */
  log(): string;
}

export function spawnIngest(name: string, args: string[], env: Record<string, string>, dir: string): WorkerProcess {
  const child = spawn(process.execPath, [join(INGEST_ROOT, 'bin', 'ingest.js'), ...args], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const file = createWriteStream(join(dir, `${name}.log`));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    file.write(chunk);
  });
  child.stdout!.on('data', () => {});
  let peak = 0;
  let running = true;
  const sample = () => {
    try {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, kb * 1024);
    } catch {
      // The process is gone.
    }
  };
  const timer = setInterval(sample, RSS_SAMPLE_MS);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      running = false;
      clearInterval(timer);
      file.end();
      resolve(code);
    });
  });
  return { name, child, exited, alive: () => running, peakRssBytes: () => (sample(), peak), log: () => stderr };
}

export async function runIngest(args: string[], env: Record<string, string>, dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(INGEST_ROOT, 'bin', 'ingest.js'), ...args], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

export async function killHard(worker: WorkerProcess): Promise<void> {
  if (!worker.alive()) return;
  worker.peakRssBytes();
  worker.child.kill('SIGKILL');
  await worker.exited;
}

export async function stopGracefully(worker: WorkerProcess, timeoutMs: number): Promise<number | null> {
  if (!worker.alive()) return worker.exited;
  worker.peakRssBytes();
  worker.child.kill('SIGTERM');
  const timeout = setTimeout(() => worker.child.kill('SIGKILL'), timeoutMs);
  const code = await worker.exited;
  clearTimeout(timeout);
  return code;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export interface PrivateRedis {
  url: string;
  start(): Promise<void>;
  /** SHUTDOWN (Redis flushes its AOF first), like a restart by a process manager. */
  stop(): Promise<void>;
}

/** A redis-server of our own on a free port of PRIVATE_REDIS_PORTS, with AOF, in `dir`. */
export async function createPrivateRedis(dir: string): Promise<PrivateRedis> {
  let port = 0;
  for (const candidate of PRIVATE_REDIS_PORTS) {
    if (await portIsFree(candidate)) {
      port = candidate;
      break;
    }
  }
  if (port === 0) throw new Error(`no free port in ${PRIVATE_REDIS_PORTS[0]}..${PRIVATE_REDIS_PORTS.at(-1)} for a private redis-server`);
  mkdirSync(dir, { recursive: true });
  let child: ChildProcess | null = null;
  const url = `redis://127.0.0.1:${port}`;
  const answers = async () => {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  };
  return {
    url,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
      for (let i = 0; i < 100 && !(await answers()); i += 1) await sleep(100);
    },
    async stop() {
      if (!child) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      child = null;
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Read-only looks at a database another process writes. */
export function queryDb<T>(path: string, sql: string): T[] {
  if (!existsSync(path)) return [];
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 2000');
    return db.prepare(sql).all() as T[];
  } catch {
    return [];
  } finally {
    db?.close();
  }
}

export interface DatabaseCount {
  /** crawl_state rows with a final status. */
  finished: number;
  stored: number;
  failed: number;
  failedWithoutReason: number;
  retrying: number;
  articleRows: number;
  distinctArticleUrls: number;
  distinctHashes: number;
  reasons: Record<string, number>;
}

export function countDatabase(path: string): DatabaseCount {
  const byStatus = Object.fromEntries(queryDb<{ status: string; n: number }>(path, 'select status, count(*) as n from crawl_state group by status').map((r) => [r.status, r.n]));
  const articles = queryDb<{ rows: number; urls: number; hashes: number }>(path, 'select count(*) as rows, count(distinct canonical_url) as urls, count(distinct content_hash) as hashes from articles')[0];
  const reasons = Object.fromEntries(
    queryDb<{ reason: string; n: number }>(path, "select coalesce(reason, '(none)') as reason, count(*) as n from crawl_state where status = 'failed' group by reason").map((r) => [r.reason, r.n]),
  );
  const stored = (byStatus['stored'] ?? 0) + (byStatus['unchanged'] ?? 0);
  const failed = byStatus['failed'] ?? 0;
  return {
    finished: stored + failed,
    stored,
    failed,
    failedWithoutReason: reasons['(none)'] ?? 0,
    retrying: byStatus['retrying'] ?? 0,
    articleRows: articles?.rows ?? 0,
    distinctArticleUrls: articles?.urls ?? 0,
    distinctHashes: articles?.hashes ?? 0,
    reasons,
  };
}

export interface QueueCounts {
  fetchPending: number;
  fetchActive: number;
  storePending: number;
  storeActive: number;
}

/** Jobs not finished, straight from BullMQ's keys (works for any version of the code under test). */
export async function countQueues(redisUrl: string, prefix: string): Promise<QueueCounts> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const count = async (queue: string) => {
      const [wait, active, delayed, prioritized] = await Promise.all([
        redis.llen(`${prefix}:${queue}:wait`),
        redis.llen(`${prefix}:${queue}:active`),
        redis.zcard(`${prefix}:${queue}:delayed`),
        redis.zcard(`${prefix}:${queue}:prioritized`),
      ]);
      return { pending: wait + delayed + prioritized, active };
    };
    const [fetch, store] = await Promise.all([count('fetch'), count('store')]);
    return { fetchPending: fetch.pending, fetchActive: fetch.active, storePending: store.pending, storeActive: store.active };
  } catch {
    return { fetchPending: -1, fetchActive: -1, storePending: -1, storeActive: -1 };
  } finally {
    redis.disconnect();
  }
}

export async function deletePrefix(redisUrl: string, prefix: string): Promise<void> {
  // A private Redis may already be gone.
  await deleteKeysWithPrefix(prefix, redisUrl).catch(() => undefined);
}

/** Mount a tmpfs of `size` at `dir`; false where mounting is not allowed (not root, a container). */
export function mountTmpfs(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' }).status === 0;
}

export function remountTmpfs(dir: string, size: string): boolean {
  return spawnSync('mount', ['-o', `remount,size=${size}`, dir], { stdio: 'ignore' }).status === 0;
}

export function unmount(dir: string): void {
  spawnSync('umount', [dir], { stdio: 'ignore' });
}

export function writeUrlFile(dir: string, urls: string[]): string {
  const file = join(dir, 'urls.txt');
  writeFileSync(file, `${urls.join('\n')}\n`);
  return file;
}
