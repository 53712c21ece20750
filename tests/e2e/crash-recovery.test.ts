/**
 * A crash mid-crawl loses nothing: a worker killed with SIGKILL while fetching leaves its jobs
 * locked; once the locks run out another worker takes them, and every page ends up stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenVariant } from '../helpers/article-site-server.ts';
import { countArticles, readRows } from '../helpers/read-database.ts';
import { collect, spawnCli } from '../helpers/run-cli.ts';
import { runMain } from '../helpers/run-main.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

const PAGES = 6;
/** Long enough that the first worker is surely mid-fetch when it is killed. */
const ANSWER_DELAY_MS = 1_500;

let server: Server;
let origin: string;
let requests = 0;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    const n = Number(/^\/slow\/(\d+)\.html$/.exec(req.url ?? '')?.[1] ?? -1);
    setTimeout(() => {
      if (n < 0) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(goldenVariant(n));
    }, ANSWER_DELAY_MS);
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
    FETCH_TIMEOUT_MS: '5000',
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

    const doomed = spawnCli(['worker', '--concurrency', String(PAGES)], env);
    const doomedExit = collect(doomed);
    const deadline = Date.now() + 20_000;
    while (requests < PAGES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(requests).toBe(PAGES);
    doomed.kill('SIGKILL');
    const killed = await doomedExit;
    expect(killed.code).toBeNull();
    expect(countArticles(env['DATABASE_PATH']!)).toBe(0);

    const rescuer = spawnCli(['worker', '--concurrency', String(PAGES)], env);
    const rescuerExit = collect(rescuer);
    const rescueDeadline = Date.now() + 45_000;
    while (countArticles(env['DATABASE_PATH']!) < PAGES && Date.now() < rescueDeadline) await new Promise((r) => setTimeout(r, 200));
    rescuer.kill('SIGTERM');
    expect((await rescuerExit).code).toBe(0);

    expect(countArticles(env['DATABASE_PATH']!)).toBe(PAGES);
    expect(readRows(env['DATABASE_PATH']!, 'select status, count(*) as n from crawl_state group by status')).toEqual([{ status: 'stored', n: PAGES }]);
  }, 90_000);
});
