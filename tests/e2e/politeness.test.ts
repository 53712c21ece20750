/**
 * Politeness across processes: three loopback hosts, two worker processes, per-host
 * concurrency 1 and 400 ms between request starts. The servers see every host's requests at
 * least 400 ms apart, while the three hosts are crawled in parallel. The servers run in a
 * process of their own, so the arrival times they record are not shifted by this process's
 * work (it polls SQLite while the workers run).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countArticles } from '../helpers/read-database.ts';
import { startRemoteSiteServers, type RemoteSiteServers } from '../helpers/remote-site-server.ts';
import { collect, spawnCli } from '../helpers/run-cli.ts';
import { runMain } from '../helpers/run-main.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

const HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
const PAGES_PER_HOST = 6;
const DELAY_MS = 400;

let servers: RemoteSiteServers;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  servers = await startRemoteSiteServers(HOSTS);
  dir = mkdtempSync(join(tmpdir(), 'ingest-polite-'));
  env = {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix('polite'),
    DATABASE_PATH: join(dir, 'articles.db'),
    ALLOW_PRIVATE_NETWORKS: 'false',
    ALLOWED_NETWORKS: '127.0.0.0/8',
    PER_HOST_CONCURRENCY: '1',
    PER_HOST_DELAY_MS: String(DELAY_MS),
    RESPECT_ROBOTS: 'true',
    LOG_LEVEL: 'warn',
  };
});

afterAll(async () => {
  await servers?.close();
  if (env) await deleteKeysWithPrefix(env['QUEUE_PREFIX']!);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('per-host politeness shared by two worker processes', () => {
  it('keeps every host at one request per 400 ms while crawling the hosts in parallel', async () => {
    // Pages interleaved by host, as a real mixed queue would be.
    const urls = Array.from({ length: PAGES_PER_HOST }, (_, n) => servers.origins.map((origin) => `${origin}/news/${n}.html`)).flat();
    const file = join(dir, 'urls.txt');
    writeFileSync(file, urls.join('\n'));
    const enqueue = await runMain(['enqueue', '--file', file], env);
    expect(enqueue.stdout).toContain(`enqueued ${urls.length}`);

    const workers = [spawnCli(['worker', '--concurrency', '4'], env), spawnCli(['worker', '--concurrency', '4'], env)];
    const exits = workers.map((worker) => collect(worker));
    const started = Date.now();
    const deadline = started + 45_000;
    while (countArticles(env['DATABASE_PATH']!) < urls.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const elapsedMs = Date.now() - started;
    for (const worker of workers) worker.kill('SIGTERM');
    const results = await Promise.all(exits);
    expect(results.map((r) => r.code), results.map((r) => r.stderr).join('\n---\n')).toEqual([0, 0]);
    expect(countArticles(env['DATABASE_PATH']!)).toBe(urls.length);

    const requests = await servers.requests();
    const gaps: number[] = [];
    for (const hostRequests of requests) {
      // Every request of the host, robots.txt included, counts against its budget.
      const times = hostRequests.map((r) => r.at).sort((a, b) => a - b);
      expect(times.length).toBe(PAGES_PER_HOST + 1);
      for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
    }
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(DELAY_MS);

    // In parallel: the whole crawl takes about one host's minimum, far less than three in a row.
    const oneHostMinimumMs = PAGES_PER_HOST * DELAY_MS;
    const firstRequest = Math.min(...requests.map((r) => r[0]!.at));
    const lastRequest = Math.max(...requests.map((r) => r.at(-1)!.at));
    const crawlSpanMs = lastRequest - firstRequest;
    expect(crawlSpanMs).toBeLessThan(2 * oneHostMinimumMs);
    console.log(
      `politeness: ${urls.length} pages on ${HOSTS.length} hosts, request span ${crawlSpanMs} ms ` +
        `(theoretical minimum ${oneHostMinimumMs} ms), min gap ${Math.min(...gaps)} ms, until stored ${elapsedMs} ms`,
    );
  }, 90_000);
});
