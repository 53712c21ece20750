/**
 * The contenders of `npm run bench:pipeline`, each run as whole processes on the same URLs:
 * our pipeline in one process or split into fetch and store processes, Scrapy (the peer), a
 * plain undici fetch (the ceiling) and extraction alone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { CONFIG_VARIABLES } from '../../src/config.ts';
import { percentile, type ChildFigures, type RunFigures } from './figures.ts';
import { readProcessUsage } from './process-stats.ts';
import { lastJsonLine, spawnTracked, type TrackedProcess } from './tracked-process.ts';

export interface BenchContext {
  /** The project root (bin/, dist/, bench/peers/). */
  root: string;
  urlFile: string;
  urlCount: number;
  pagesDir: string;
  /** Requests in flight in every contender (ours: split over its fetch processes). */
  inFlight: number;
  redisUrl: string;
  /** pid of the benchmark's own redis-server, for its CPU; null on a shared Redis. */
  redisPid: number | null;
  python: string;
  /** A run that has not finished after this long is a failure (something hangs). */
  timeoutMs: number;
  /** Node options of our fetch processes (profiling: `--cpu-prof`, `--heapsnapshot-signal=SIGUSR2`). */
  fetchNodeArgs: readonly string[];
  /** Settings for every process of ours, over the benchmark's own (`EXTRACT_THREADS=1`). */
  extraEnv: Readonly<Record<string, string>>;
  /**
   * The cores every contender's processes may run on (the first N, through `taskset`), or null
   * for all of them. The page server and Redis are never pinned: they serve every contender alike.
   */
  cores: number | null;
}

export interface Contender {
  name: string;
  run(ctx: BenchContext, round: number): Promise<RunFigures>;
}

/** How often the benchmark looks at the database for finished URLs. */
const POLL_MS = 50;
/** Time a worker process gets to finish in-flight jobs and exit after SIGTERM. */
const STOP_GRACE_MS = 30_000;

/**
 * Spawns a contender's process, pinned to the run's cores when it has some: `taskset` sets the
 * affinity and executes the command in its place (the same process id, so its usage is read
 * as before), and the children and threads it starts inherit the affinity.
 */
function spawnContender(ctx: BenchContext, name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv): TrackedProcess {
  if (ctx.cores === null) return spawnTracked(name, command, args, env);
  return spawnTracked(name, 'taskset', ['--cpu-list', `0-${ctx.cores - 1}`, command, ...args], env);
}

/** The environment of a child: ours without any pipeline variable (those come from the run). */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete env[name];
  return env;
}

/** Layout of our pipeline: one process with both roles, or k fetch processes and a store process. */
export function ours(name: string, fetchProcesses: number, split: boolean, root?: string): Contender {
  return { name, run: (ctx, round) => runOurs(root ? { ...ctx, root } : ctx, round, name, fetchProcesses, split) };
}

async function runOurs(ctx: BenchContext, round: number, name: string, fetchProcesses: number, split: boolean): Promise<RunFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
  const databasePath = join(dir, 'articles.db');
  const prefix = `bench-${process.pid}-${round}-${name.replace(/[^A-Za-z0-9]/g, '')}`;
  const perProcess = Math.max(1, Math.round(ctx.inFlight / fetchProcesses));
  const env = {
    ...cleanEnvironment(),
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: prefix,
    DATABASE_PATH: databasePath,
    ALLOW_PRIVATE_NETWORKS: 'true',
    RESPECT_ROBOTS: 'true',
    PER_HOST_CONCURRENCY: String(ctx.inFlight),
    PER_HOST_DELAY_MS: '0',
    WORKER_CONCURRENCY: String(perProcess),
    LOG_LEVEL: 'info',
    ...ctx.extraEnv,
  };
  const bin = join(ctx.root, 'bin/ingest.js');
  const redisBefore = ctx.redisPid === null ? null : readProcessUsage(ctx.redisPid).cpuSeconds;
  const reapedBefore = reapedChildrenCpuSeconds();
  const started = performance.now();
  const workers: TrackedProcess[] = [];
  const enqueue = spawnContender(ctx, 'enqueue', process.execPath, [bin, 'enqueue', '--file', ctx.urlFile], env);
  if (split) {
    workers.push(spawnContender(ctx, 'store', process.execPath, [bin, 'worker', '--role', 'store'], env));
    for (let i = 0; i < fetchProcesses; i++) {
      workers.push(spawnContender(ctx, 'fetch', process.execPath, [...ctx.fetchNodeArgs, bin, 'worker', '--role', 'fetch', '--concurrency', String(perProcess)], env));
    }
  } else {
    workers.push(spawnContender(ctx, 'all', process.execPath, [...ctx.fetchNodeArgs, bin, 'worker', '--role', 'all', '--concurrency', String(perProcess)], env));
  }
  const ready = workers.map((worker) => worker.waitForLine((line) => line.includes('"workers started"')));
  try {
    const backlog = new StoreBacklogSampler(ctx.redisUrl, prefix);
    const done = await waitForFinishedUrls(ctx, databasePath, [...workers, enqueue], () => backlog.sample()).finally(() => backlog.close());
    const seconds = (performance.now() - started) / 1000;
    const usage = workers.map((worker) => ({ name: worker.name, ...readProcessUsage(worker.child.pid!) }));
    const peakRssBytes: Record<string, number> = {};
    const cpuSecondsByKind: Record<string, number> = {};
    for (const { name: kind, peakRssBytes: rss, cpuSeconds } of usage) {
      peakRssBytes[kind] = Math.max(peakRssBytes[kind] ?? 0, rss);
      cpuSecondsByKind[kind] = (cpuSecondsByKind[kind] ?? 0) + cpuSeconds;
    }
    await enqueue.exited;
    const enqueueCpu = reapedChildrenCpuSeconds() - reapedBefore;
    cpuSecondsByKind.enqueue = enqueueCpu;
    const latencies = readLatencies(databasePath);
    return {
      pages: done,
      seconds,
      cpuSeconds: usage.reduce((sum, u) => sum + u.cpuSeconds, 0) + enqueueCpu,
      peakRssBytes,
      cpuSecondsByKind,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      ...(redisBefore === null ? {} : { redisCpuSeconds: readProcessUsage(ctx.redisPid!).cpuSeconds - redisBefore }),
      readySeconds: (await Promise.all(ready)).map((ms) => ms / 1000),
      peakStoreBacklog: backlog.peak,
    };
  } finally {
    await Promise.all([enqueue, ...workers].map((p) => p.stop(STOP_GRACE_MS)));
    await deleteRunKeys(ctx.redisUrl, prefix);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * CPU seconds of this process's children that have exited and been reaped (cutime + cstime of
 * /proc/self/stat): how the short-lived `ingest enqueue` process is counted.
 */
function reapedChildrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Waits until every URL has a final outcome in crawl_state; returns how many were stored. */
async function waitForFinishedUrls(ctx: BenchContext, databasePath: string, processes: TrackedProcess[], onPoll: () => Promise<void>): Promise<number> {
  const deadline = performance.now() + ctx.timeoutMs;
  let db: Database.Database | null = null;
  try {
    for (;;) {
      for (const p of processes) {
        if (p.child.exitCode !== null && p.child.exitCode !== 0) {
          throw new Error(`${p.name} exited with ${p.child.exitCode}:\n${p.stderr().slice(-2000)}`);
        }
      }
      if (performance.now() > deadline) throw new Error(`not finished after ${ctx.timeoutMs} ms`);
      db ??= openIfExists(databasePath);
      if (db) {
        const row = db
          .prepare(`select count(*) as done, sum(status = 'stored') as stored from crawl_state where status in ('stored', 'unchanged', 'failed')`)
          .get() as { done: number; stored: number | null };
        if (row.done >= ctx.urlCount) {
          if ((row.stored ?? 0) < ctx.urlCount) throw new Error(`only ${row.stored} of ${ctx.urlCount} URLs were stored:\n${failureSummary(db)}`);
          return row.stored ?? 0;
        }
      }
      await onPoll();
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    db?.close();
  }
}

/**
 * The store queue's backlog: store jobs waiting in Redis (fetched pages not yet taken by the
 * store worker), sampled at every poll; `peak` is the most seen. BullMQ keeps waiting jobs in
 * the queue's `wait` list (and `prioritized` set, unused by us but counted for safety).
 */
class StoreBacklogSampler {
  peak = 0;
  private readonly redis: Redis;
  constructor(redisUrl: string, private readonly prefix: string) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  }
  async sample(): Promise<void> {
    const [[, waiting], [, prioritized]] = (await this.redis.multi().llen(`${this.prefix}:store:wait`).zcard(`${this.prefix}:store:prioritized`).exec()) as [[unknown, number], [unknown, number]];
    this.peak = Math.max(this.peak, waiting + prioritized);
  }
  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

function openIfExists(path: string): Database.Database | null {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.prepare('select 1 from crawl_state limit 1').get();
    return db;
  } catch {
    return null;
  }
}

function failureSummary(db: Database.Database): string {
  const rows = db.prepare(`select status, reason, count(*) as n from crawl_state group by status, reason`).all();
  return JSON.stringify(rows);
}

/** Time per page in our pipeline: from the fetch's start to its outcome stored in SQLite. */
function readLatencies(databasePath: string): number[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    const rows = db.prepare('select fetched_at as fetchedAt, updated_at as updatedAt from crawl_state').all() as Array<{ fetchedAt: string; updatedAt: string }>;
    return rows.map((row) => Date.parse(row.updatedAt) - Date.parse(row.fetchedAt)).sort((a, b) => a - b);
  } finally {
    db.close();
  }
}

async function deleteRunKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A child that prints its own figures; the wall time is ours, from spawn to exit. */
async function runChild(name: string, command: string, args: string[], ctx: BenchContext, countsStartUp: boolean): Promise<RunFigures> {
  const started = performance.now();
  const child = spawnContender(ctx, name, command, args, cleanEnvironment());
  const timer = setTimeout(() => child.child.kill('SIGKILL'), ctx.timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${name} exited with ${code}:\n${child.stderr().slice(-2000)}`);
  const figures = lastJsonLine<ChildFigures>(child);
  return {
    pages: figures.pages,
    seconds: countsStartUp ? (performance.now() - started) / 1000 : figures.seconds,
    cpuSeconds: figures.cpuSeconds,
    peakRssBytes: { [name]: figures.peakRssBytes },
    p50Ms: figures.p50Ms,
    p95Ms: figures.p95Ms,
  };
}

export const scrapy: Contender = {
  name: 'scrapy',
  async run(ctx, round) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-scrapy-'));
    try {
      const spider = join(ctx.root, 'bench/peers/scrapy_body_text.py');
      const figures = await runChild('scrapy', ctx.python, [spider, ctx.urlFile, join(dir, `items-${round}.jsonl`)], ctx, true);
      if (figures.pages < ctx.urlCount) throw new Error(`scrapy yielded ${figures.pages} of ${ctx.urlCount} pages`);
      return figures;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const plainFetch: Contender = {
  name: 'plain fetch',
  run: (ctx) => runChild('plain fetch', process.execPath, [join(ctx.root, 'dist/bench/pipeline/plain-fetch.js'), ctx.urlFile, String(ctx.inFlight)], ctx, true),
};

/** Extraction alone: its rate inside the process (no start-up, no network), one thread. */
export const extractOnly: Contender = {
  name: 'extract only',
  run: (ctx) => runChild('extract only', process.execPath, [join(ctx.root, 'dist/bench/pipeline/extract-only.js'), ctx.pagesDir, String(ctx.urlCount)], ctx, false),
};
