/**
 * A crash mid-crawl loses nothing: a worker killed with SIGKILL while fetching leaves its jobs
 * locked; once the locks run out another worker takes them, and every page ends up stored.
 *
 * The killed worker is a process of its own (the workers of `ingest worker`, started by
 * worker-process.ts); the rescuer runs in this process. Both hold their claims for a short
 * time: the job locks (taken over by BullMQ's stalled check) and the per-host politeness slots
 * (the killed worker's fill the host's concurrency until they run out), so the takeover comes
 * within seconds of the kill instead of after the product's 10 s lock and 30 s lease.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { startWorkers } from '../../workers/start-workers.ts';
import { goldenVariant } from '../helpers/article-site-server.ts';
import { countArticles, readRows } from '../helpers/read-database.ts';
import { runMain } from '../helpers/run-main.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';
import { spawnWorkerProcess } from '../helpers/worker-process.ts';

const PAGES = 6;
/**
 * Both workers' lease timings. A crashed worker's jobs are taken over one to two locks after
 * the kill (the stalled check marks them, the next one moves them once their lock has run
 * out); the lock is long enough that a live worker, renewing every half lock, never loses one
 * on a busy machine (that would show as more requests than pages). The politeness slots the
 * killed worker held (all PER_HOST_CONCURRENCY of them) block the host until they run out.
 */
const LEASE_TIMING = { jobLockMs: 2_000, politenessLeaseMs: 3_000 };

let server: Server;
let origin: string;
let requests = 0;
/** Until the first worker is dead, requests get no answer: it is surely mid-fetch when killed. */
let holdAnswers = true;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    if (holdAnswers) return; // the killed worker's connections close with its process
    const n = Number(/^\/slow\/(\d+)\.html$/.exec(req.url ?? '')?.[1] ?? -1);
    if (n < 0) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(goldenVariant(n));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'ingest-crash-'));
  env = {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix('crash'),
    DATABASE_PATH: join(dir, 'articles.db'),
    ALLOW_PRIVATE_NETWORKS: 'true',
    RESPECT_ROBOTS: 'false',
    PER_HOST_CONCURRENCY: String(PAGES),
    PER_HOST_DELAY_MS: '0',
    // Far beyond the test: the held requests of the killed worker must not time out first.
    FETCH_TIMEOUT_MS: '60000',
    LOG_LEVEL: 'info',
  };
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (env) await deleteKeysWithPrefix(env['QUEUE_PREFIX']!);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a worker killed mid-crawl', () => {
  it('loses no URL: another worker finishes the killed one\'s jobs', async () => {
    const urls = Array.from({ length: PAGES }, (_, n) => `${origin}/slow/${n}.html`);
    const enqueue = await runMain(['enqueue', ...urls], env);
    expect(enqueue.stdout).toContain(`enqueued ${PAGES}`);

    const doomed = spawnWorkerProcess(env, { ...LEASE_TIMING, concurrency: PAGES });
    await doomed.ready; // a start-up failure fails here, with the process's stderr
    const deadline = Date.now() + 30_000;
    while (requests < PAGES && doomed.child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(requests).toBe(PAGES);
    doomed.child.kill('SIGKILL');
    const killed = await doomed.exited;
    expect(killed.code, killed.stderr).toBeNull();
    expect(countArticles(env['DATABASE_PATH']!)).toBe(0);
    holdAnswers = false;

    const rescuer = startWorkers({ config: parseConfig(env), role: 'all', concurrency: PAGES, logger: silentLogger, profiles: [], leaseTiming: LEASE_TIMING });
    try {
      const rescueDeadline = Date.now() + 30_000;
      while (countArticles(env['DATABASE_PATH']!) < PAGES && Date.now() < rescueDeadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await rescuer.close();
    }

    // Each page fetched once by each worker: the killed one's jobs were taken over, not duplicated.
    expect(requests).toBe(2 * PAGES);
    expect(countArticles(env['DATABASE_PATH']!)).toBe(PAGES);
    expect(readRows(env['DATABASE_PATH']!, 'select status, count(*) as n from crawl_state group by status')).toEqual([{ status: 'stored', n: PAGES }]);
  }, 90_000);
});
