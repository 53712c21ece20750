/**
 * A 50,000-URL, 50 MB sitemap is read as a stream and its URLs reach the queue in batches as
 * they are read, with flat memory. Measured on a real `ingest worker --role store` process
 * (the role that runs sources), from the kernel's own record of its peak resident set (VmHWM):
 * after a sitemap a tenth the size, then after the big one. The first run brings the process to
 * its working size (V8 commits its young generation and old-space pages as allocation picks up,
 * and keeps them), so what the big run adds is what ten times the document costs. A DOM of the
 * document would cost several times its size; held as text it would add 100 MB (UTF-16); held
 * as bytes, 45 MB more than the small one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readRows } from '../helpers/read-database.ts';
import { collect, spawnBin } from '../helpers/run-cli.ts';
import { runMain } from '../helpers/run-main.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';
import { BIG_SITEMAP_URLS, startSourceSiteServer, type SourceSiteServer } from '../helpers/source-site-server.ts';

/** Old-space heap allowed to the worker: less than the 50 MB document would take as UTF-16 text on top of the worker's own. */
const HEAP_CAP_MB = 160;

/**
 * Time allowed for reading and enqueueing 50,000 URLs: about 10 s on an idle machine (Redis takes
 * a few tens of ms per 500 jobs), far more when the machine and its Redis are shared and busy.
 */
const ENQUEUE_TIMEOUT_MS = 240_000;

/** URLs of the first, small sitemap (5 MB). */
const SMALL_SITEMAP_URLS = 5_000;

/** Most the worker's peak resident set may grow from the small sitemap's run to the big one's (10× the document). */
const MAX_PEAK_GROWTH_MB = 30;

let server: SourceSiteServer;
let dir: string;
let env: Record<string, string>;
let worker: ReturnType<typeof spawnBin> | null = null;

beforeAll(async () => {
  server = await startSourceSiteServer();
  dir = mkdtempSync(join(tmpdir(), 'ingest-big-sitemap-'));
  env = {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix('big-sitemap'),
    DATABASE_PATH: join(dir, 'articles.db'),
    ALLOW_PRIVATE_NETWORKS: 'true',
    PER_HOST_DELAY_MS: '0',
    LOG_LEVEL: 'info',
    // V8 grows its heap ahead of need when allocation is fast, which is not memory the run
    // keeps: a heap cap far below the document's size makes the resident set show what is kept
    // (a run holding the 50 MB document, as text or as a tree, dies under it).
    NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB}`,
  };
});

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await server?.close();
  if (env) await deleteKeysWithPrefix(env['QUEUE_PREFIX']!);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function memoryMb(pid: number, field: 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN) / 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type SourceRow = { polls: number; links_new: number | null; links_found: number | null; last_status: string; bytes_downloaded: number };

/** Adds the sitemap as a source (its first run starts at once) and waits for that run to end. */
async function runSitemap(url: string): Promise<{ row: SourceRow | undefined; seconds: number }> {
  const added = await runMain(['source', 'add', url, '--kind', 'sitemap', '--every', '1h'], env);
  expect(added.code).toBe(0);
  const started = Date.now();
  let row: SourceRow | undefined;
  while (Date.now() - started < ENQUEUE_TIMEOUT_MS) {
    [row] = readRows<SourceRow>(env['DATABASE_PATH']!, 'select polls, links_new, links_found, last_status, bytes_downloaded from sources where url = ?', [url]);
    if (row && row.polls > 0) break;
    await sleep(200);
  }
  return { row, seconds: (Date.now() - started) / 1000 };
}

it(`enqueues a ${BIG_SITEMAP_URLS.toLocaleString('en')}-URL, 50 MB sitemap as it reads it, with flat memory`, async () => {
  worker = spawnBin(['worker', '--role', 'store'], env);
  const finished = collect(worker);
  let log = '';
  worker.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    while (!log.includes('"workers started"')) {
      if (worker.exitCode !== null) throw new Error(`worker exited: ${log}`);
      await sleep(100);
    }
    const small = await runSitemap(`${server.origin}/big-sitemap.xml?urls=${SMALL_SITEMAP_URLS}`);
    expect(small.row).toMatchObject({ last_status: 'changed', links_found: SMALL_SITEMAP_URLS, links_new: SMALL_SITEMAP_URLS });
    const smallPeakMb = memoryMb(worker.pid!, 'VmHWM');
    const big = await runSitemap(`${server.origin}/big-sitemap.xml`);
    const peakMb = memoryMb(worker.pid!, 'VmHWM');
    console.log(
      `50k sitemap: ${((big.row?.bytes_downloaded ?? 0) / 1e6).toFixed(1)} MB read, ${big.row?.links_new} URLs enqueued in ${big.seconds.toFixed(1)} s; ` +
        `worker peak RSS ${smallPeakMb.toFixed(0)} MB after ${SMALL_SITEMAP_URLS} URLs, ${peakMb.toFixed(0)} MB after 50,000 (+${(peakMb - smallPeakMb).toFixed(0)} MB)`,
    );
    expect(big.row).toMatchObject({ last_status: 'changed', links_found: BIG_SITEMAP_URLS, links_new: BIG_SITEMAP_URLS });
    expect(big.row!.bytes_downloaded).toBeGreaterThan(48_000_000);
    expect(peakMb - smallPeakMb).toBeLessThan(MAX_PEAK_GROWTH_MB);
  } finally {
    worker.kill('SIGTERM');
    await finished;
  }
}, 2 * ENQUEUE_TIMEOUT_MS + 30_000);
