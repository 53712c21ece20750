/**
 * The worker against a hostile server: every fault URL ends in the right recorded outcome, the
 * worker stays up with bounded memory, and healthy pages on another host keep flowing meanwhile.
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArticleSiteServer, type ArticleSiteServer } from '../helpers/article-site-server.ts';
import {
  LATIN1_TEXT,
  NOT_MODIFIED_ETAG,
  NOT_MODIFIED_LAST_MODIFIED,
  OK_HTML,
  startFaultServer,
  WIN1256_TEXT,
  type FaultServer,
} from '../helpers/fault-server.ts';
import { readRows } from '../helpers/read-database.ts';
import { collect, spawnBin } from '../helpers/run-cli.ts';
import { runMain } from '../helpers/run-main.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

/** Each fault route and the outcome crawl_state must end with. */
const EXPECTED: Record<string, { status: string; reason: string | null; attempts?: number }> = {
  '/slow-headers?ms=10000': { status: 'failed', reason: 'timeout', attempts: 2 },
  '/trickle?bytes=1000': { status: 'failed', reason: 'timeout', attempts: 2 },
  '/500': { status: 'failed', reason: 'http-500', attempts: 2 },
  '/reset': { status: 'failed', reason: 'connection-reset', attempts: 2 },
  '/reset-mid-body': { status: 'failed', reason: 'connection-reset', attempts: 2 },
  '/redirect-loop': { status: 'failed', reason: 'redirect-loop', attempts: 1 },
  '/redirect-metadata': { status: 'failed', reason: 'forbidden-address', attempts: 1 },
  '/big': { status: 'failed', reason: 'too-large', attempts: 1 },
  '/gzip-bomb': { status: 'failed', reason: 'decompression-bomb', attempts: 1 },
  '/pdf': { status: 'failed', reason: 'not-html', attempts: 1 },
  '/empty': { status: 'failed', reason: 'no-content', attempts: 1 },
  '/missing': { status: 'failed', reason: 'http-404', attempts: 1 },
  '/429-once': { status: 'stored', reason: null, attempts: 1 },
  '/503-once': { status: 'stored', reason: null, attempts: 1 },
  '/win1256': { status: 'stored', reason: null },
  '/latin1': { status: 'stored', reason: null },
  '/malformed': { status: 'stored', reason: null },
  '/not-modified': { status: 'stored', reason: null },
};

const HEALTHY_PAGES = 20;

/** A route that answers `status` with Retry-After: 1 once, then the article. */
function onceThenOk(status: number) {
  let calls = 0;
  return (_req: unknown, res: ServerResponse) => {
    calls += 1;
    if (calls === 1) {
      res.writeHead(status, { 'retry-after': '1', 'content-type': 'text/plain' });
      res.end('come back later');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(OK_HTML.replace('</title>', ` ${status}</title>`).replace('<p>', `<p>Recovered after ${status}. `));
  };
}

let faults: FaultServer;
let healthy: ArticleSiteServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  faults = await startFaultServer({ host: '127.0.0.1', routes: { '/429-once': onceThenOk(429), '/503-once': onceThenOk(503) } });
  healthy = await startArticleSiteServer('127.0.0.2');
  dir = mkdtempSync(join(tmpdir(), 'ingest-faults-'));
  env = {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix('faults'),
    DATABASE_PATH: join(dir, 'articles.db'),
    // The guard stays on: only loopback is opened, so the metadata redirect must be refused.
    ALLOW_PRIVATE_NETWORKS: 'false',
    ALLOWED_NETWORKS: '127.0.0.0/8',
    PER_HOST_CONCURRENCY: '6',
    PER_HOST_DELAY_MS: '0',
    FETCH_TIMEOUT_MS: '1500',
    FETCH_ATTEMPTS: '2',
    RETRY_BASE_DELAY_MS: '200',
    LOG_LEVEL: 'error',
  };
});

afterAll(async () => {
  await faults?.close();
  await healthy?.close();
  if (env) await deleteKeysWithPrefix(env['QUEUE_PREFIX']!);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface StateRow {
  url: string;
  status: string;
  reason: string | null;
  attempts: number;
  updated_at: string;
}

function readStates(): StateRow[] {
  return readRows<StateRow>(env['DATABASE_PATH']!, 'select url, status, reason, attempts, updated_at from crawl_state');
}

/** Peak resident set of a process (Linux VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

describe('fetching from a hostile server', () => {
  it('records the right outcome for every fault while healthy pages keep flowing', async () => {
    const faultUrls = Object.keys(EXPECTED).map((path) => faults.url(path));
    const healthyUrls = Array.from({ length: HEALTHY_PAGES }, (_, n) => `${healthy.origin}/news/${n}.html`);
    const file = join(dir, 'urls.txt');
    writeFileSync(file, [...faultUrls, ...healthyUrls].join('\n'));
    const enqueue = await runMain(['enqueue', '--file', file], env);
    expect(enqueue.stdout).toContain(`enqueued ${faultUrls.length + HEALTHY_PAGES}`);

    // The compiled command, as users run it (with its heap limits): the memory bound below is the
    // product's, not the tsx loader's (under tsx this worker peaked at 419–485 MiB).
    const worker = spawnBin(['worker', '--concurrency', '6'], env);
    const exited = collect(worker);
    const total = faultUrls.length + HEALTHY_PAGES;
    const final = (rows: StateRow[]) => rows.filter((row) => row.status !== 'retrying');
    const deadline = Date.now() + 60_000;
    let peak = 0;
    while (final(readStates()).length < total && Date.now() < deadline) {
      peak = Math.max(peak, peakRssMiB(worker.pid!));
      await new Promise((r) => setTimeout(r, 200));
    }
    peak = Math.max(peak, peakRssMiB(worker.pid!));
    worker.kill('SIGTERM');
    const result = await exited;
    expect(result.code).toBe(0);

    const states = new Map(readStates().map((row) => [row.url, row]));
    for (const [path, expected] of Object.entries(EXPECTED)) {
      const row = states.get(faults.url(path));
      expect(row, path).toBeDefined();
      expect({ path, status: row!.status, reason: row!.reason }).toEqual({ path, status: expected.status, reason: expected.reason });
      if (expected.attempts !== undefined) expect(row!.attempts, path).toBe(expected.attempts);
    }
    // Nothing followed the redirect to the metadata address, and a 404 was asked for once.
    expect(faults.requests.filter((r) => r.path === '/missing')).toHaveLength(1);

    // Healthy pages on the other host were all stored before the slow faults were done.
    const healthyDone = healthyUrls.map((url) => states.get(url)!);
    expect(healthyDone.every((row) => row.status === 'stored')).toBe(true);
    const lastHealthy = Math.max(...healthyDone.map((row) => Date.parse(row.updated_at)));
    const lastFault = Math.max(...faultUrls.map((url) => Date.parse(states.get(url)!.updated_at)));
    expect(lastHealthy).toBeLessThan(lastFault);

    // Retry-After was honoured: the second request came at least a second after the first.
    for (const path of ['/429-once', '/503-once']) {
      const times = faults.requests.filter((r) => r.path === path).map((r) => r.at);
      expect(times, path).toHaveLength(2);
      expect(times[1]! - times[0]!, path).toBeGreaterThanOrEqual(1000);
    }

    // Bounded memory: a 200 MB body and a 1.1 GB gzip bomb never got near memory. The compiled
    // worker peaks near 260–270 MiB here (two extraction threads with their own heaps, the source
    // runtime of the store role), so a held 200 MB body would pass the bound, which stays under
    // the 500 MB per process of the fault run.
    expect(peak).toBeLessThan(450);
    console.log(`fetch faults: worker peak RSS ${peak.toFixed(0)} MiB`);

    const texts = readRows<{ text: string }>(env['DATABASE_PATH']!, 'select text from articles').map((r) => r.text).join('\n');
    expect(texts).toContain(WIN1256_TEXT.slice(0, 20));
    expect(texts).toContain(LATIN1_TEXT.slice(0, 20));
  }, 90_000);

  it('ingest status shows outcomes by reason and the recent failures, as text and JSON', async () => {
    const json = await runMain(['status', '--format', 'json'], env);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as {
      database: { failuresByReason: Array<{ reason: string; count: number }>; recentFailures: Array<{ url: string; reason: string }> };
    };
    const byReason = Object.fromEntries(report.database.failuresByReason.map((f) => [f.reason, f.count]));
    expect(byReason).toMatchObject({ timeout: 2, 'connection-reset': 2, 'forbidden-address': 1, 'decompression-bomb': 1, 'not-html': 1 });
    expect(report.database.recentFailures.length).toBeGreaterThan(0);
    expect(report.database.recentFailures.every((f) => f.reason && f.url.startsWith(faults.origin))).toBe(true);
    const text = await runMain(['status'], env);
    expect(text.stdout).toMatch(/Failures by reason\n(.*\n)*\s+timeout\s+2/);
    expect(text.stdout).toMatch(/Recent failures/);
  });

  it('re-fetches a known URL conditionally and records 304 as unchanged', async () => {
    const url = faults.url('/not-modified');
    const enqueue = await runMain(['enqueue', '--force', url], env);
    expect(enqueue.stdout).toContain('enqueued 1, already known 0');
    // The worker in this process until the queue is empty (the first test ran it as a process).
    const worker = await runMain(['worker', '--until-idle'], env);
    expect(worker.code, worker.stderr).toBe(0);
    const state = () => readStates().find((row) => row.url === url);
    expect(state()?.status).toBe('unchanged');
    const last = faults.requests.filter((r) => r.path === '/not-modified').at(-1)!;
    expect(last.headers['if-none-match']).toBe(NOT_MODIFIED_ETAG);
    expect(last.headers['if-modified-since']).toBe(NOT_MODIFIED_LAST_MODIFIED);
  });
});
