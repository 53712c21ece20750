/**
 * Schedules survive the worker's life: a feed polled every 2 s is polled once per interval
 * while the worker runs, through a graceful stop and restart (SIGTERM) and a crash and restart
 * (kill -9), with the polls counted at the server. A duplicated schedule would poll twice per
 * interval; a lost one would stop polling.
 *
 * The source is added with `source add --every 5s` (the shortest the command accepts: a floor
 * for real sites); the test then sets its interval to 2 s in the sources table, the truth each
 * worker syncs its schedulers from at start-up, so each life spans three intervals in 6 s
 * instead of two and a half in 12 s. The first life's sync thus also changes the schedule.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SOURCE_QUEUE } from '../../src/queue/source-queue.ts';
import { collect, spawnCli } from '../helpers/run-cli.ts';
import { runMain } from '../helpers/run-main.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';
import { startSourceSiteServer, type SourceSiteServer } from '../helpers/source-site-server.ts';

const INTERVAL_MS = 2_000;
/** How long each worker life polls (three lives: stopped by SIGTERM, by kill -9, by SIGTERM): three intervals. */
const LIFE_MS = 3 * INTERVAL_MS;
/**
 * Closest two polls of one schedule may come within a worker's life. The scheduler places runs
 * on fixed slots an interval apart; on a busy machine one run may start late and the next on
 * time, so the gap may shrink, but not to half an interval. Two schedules (a duplicate) would
 * also show as more polls than intervals, which each life checks.
 */
const MIN_POLL_GAP_MS = INTERVAL_MS / 2;

let server: SourceSiteServer;
let dir: string;
let env: Record<string, string>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await startSourceSiteServer({ feed: [1] });
  dir = mkdtempSync(join(tmpdir(), 'ingest-schedules-'));
  env = {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix('schedules'),
    DATABASE_PATH: join(dir, 'articles.db'),
    ALLOW_PRIVATE_NETWORKS: 'true',
    PER_HOST_DELAY_MS: '0',
    RESPECT_ROBOTS: 'false',
    LOG_LEVEL: 'info',
  };
});

afterAll(async () => {
  await server?.close();
  if (env) await deleteKeysWithPrefix(env['QUEUE_PREFIX']!);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function live(stopWith: 'SIGTERM' | 'SIGKILL') {
  const child = spawnCli(['worker', '--role', 'store'], env);
  const finished = collect(child);
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  while (!log.includes('"workers started"') && child.exitCode === null) await sleep(50);
  const startedAt = Date.now();
  await sleep(LIFE_MS);
  child.kill(stopWith);
  const result = await finished;
  return { startedAt, stoppedAt: Date.now(), result };
}

async function schedulerCount(): Promise<number> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const queue = new Queue(SOURCE_QUEUE, { connection: redis, prefix: env['QUEUE_PREFIX']! });
  try {
    return await queue.getJobSchedulersCount();
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

it('polls once per interval across SIGTERM and kill -9 restarts, never duplicating or losing the schedule', async () => {
  // --kind: no probe request, so every request the server sees is a poll.
  const add = ['source', 'add', `${server.origin}/feed.xml`, '--kind', 'feed', '--every', '5s'];
  expect((await runMain(add, env)).code).toBe(0);
  // Adding it again (or syncing from many processes) keeps one schedule.
  expect((await runMain(add, env)).code).toBe(0);
  expect(await schedulerCount()).toBe(1);
  const db = new Database(env['DATABASE_PATH']!);
  try {
    expect(db.prepare('update sources set every_ms = ?, interval_ms = ?').run(INTERVAL_MS, INTERVAL_MS).changes).toBe(1);
  } finally {
    db.close();
  }

  const lives = [await live('SIGTERM'), await live('SIGKILL'), await live('SIGTERM')];
  expect(lives[0]!.result.code).toBe(0);
  expect(lives[2]!.result.code).toBe(0);
  expect(await schedulerCount()).toBe(1);

  const feedRequests = server.requests.filter((r) => r.path === '/feed.xml');
  const polls = feedRequests.map((r) => r.at);
  console.log(`polls: ${feedRequests.map((r) => `${((r.at - lives[0]!.startedAt) / 1000).toFixed(1)}s ${r.status}`).join(', ')}`);
  const gaps: number[] = [];
  for (const [i, life] of lives.entries()) {
    const lifePolls = polls.filter((at) => at >= life.startedAt && at <= life.stoppedAt);
    const inLife = lifePolls.length;
    // A run that fell due while no worker ran is made at start-up, and the next one keeps to its
    // slot: so gaps are counted from a life's second poll on.
    gaps.push(...lifePolls.slice(2).map((at, k) => at - lifePolls[k + 1]!));
    const expected = (life.stoppedAt - life.startedAt) / INTERVAL_MS;
    console.log(`life ${i + 1}: ${inLife} polls in ${((life.stoppedAt - life.startedAt) / 1000).toFixed(1)} s (${expected.toFixed(1)} intervals)`);
    // Not lost: every life polls about once per interval (a poll may fall just outside it).
    expect(inLife).toBeGreaterThanOrEqual(Math.floor(expected) - 1);
    // Not duplicated: never more polls than intervals, give or take the edge.
    expect(inLife).toBeLessThanOrEqual(Math.ceil(expected) + 1);
  }
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_POLL_GAP_MS);
  // Conditional polls: only the very first poll, which has no ETag yet, reads the body.
  expect(server.count('/feed.xml', 200)).toBe(1);
  expect(server.count('/feed.xml', 304)).toBe(polls.length - 1);
}, 120_000);
