/**
 * How fast the store alone drains: `npm run bench:store [-- --jobs 20000] [--rounds 2]
 * [--baseline-root ../main]`.
 *
 * Fills the store queue of a private Redis with N finished results (bench/article-corpus.ts:
 * the benchmark pages' texts, each under its own address; a crawl outcome each), then starts
 * `ingest worker --role store` as a whole process, as users run it, on a fresh database, and
 * times it from "workers started" until every result is in crawl_state. Prints articles/s per
 * round (with --baseline-root, that checkout's built store beside ours, rounds interleaved),
 * and exits 1 below the floor of bench/floors/store.json.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { CONFIG_VARIABLES } from '../src/config.ts';
import { STORE_QUEUE, type StoreJobData } from '../src/queue/job-data.ts';
import { storeJobOptions } from '../src/queue/job-options.ts';
import { loadBaseArticles, synthesizeArticle } from './article-corpus.ts';
import { spread, formatSpread } from './pipeline/figures.ts';
import { startPrivateRedis } from './pipeline/private-redis.ts';
import { spawnTracked } from './pipeline/tracked-process.ts';
import { SHARED_DIR } from './shared-dir.ts';

/** Default port of this benchmark's own redis-server (--redis-port picks another). */
const PRIVATE_REDIS_PORT = 6406;
/** Jobs added to Redis per round trip while filling the queue. */
const FILL_BATCH = 500;
/** How often the benchmark looks at the database for stored results. */
const POLL_MS = 50;
/** Time the store process gets to exit after SIGTERM. */
const STOP_GRACE_MS = 30_000;

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '2' },
    'redis-port': { type: 'string', default: String(PRIVATE_REDIS_PORT) },
    'baseline-root': { type: 'string' },
    dir: { type: 'string', default: resolve(SHARED_DIR, 'benchmarks/article-extraction/html') },
  },
});
const jobs = Number(values.jobs);
const rounds = Number(values.rounds);
const root = process.cwd();
const floor = JSON.parse(readFileSync(join(root, 'bench/floors/store.json'), 'utf8')) as { minArticlesPerSecond: number };
const contenders = [{ name: 'ours', root }, ...(values['baseline-root'] ? [{ name: 'baseline', root: resolve(values['baseline-root']) }] : [])];

const bases = loadBaseArticles(values.dir!);
const results: Array<{ contender: string; round: number; perSecond: number }> = [];
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`store benchmark: ${jobs.toLocaleString('en')} store jobs pre-filled in a private Redis, drained by one \`ingest worker --role store\`; load average ${loadavg()}`);
const redis = await startPrivateRedis(Number(values['redis-port']));
try {
  for (let round = 1; round <= rounds; round++) {
    for (const contender of round % 2 === 1 ? contenders : [...contenders].reverse()) {
      const perSecond = await drain(contender.root, `bench-store-${round}-${contender.name}`);
      results.push({ contender: contender.name, round, perSecond });
      console.error(`  round ${round}, ${contender.name}: ${perSecond.toFixed(0)} articles/s (load average ${loadavg()})`);
    }
  }
} finally {
  await redis.stop();
}

let below = false;
for (const { name } of contenders) {
  const rates = spread(results.filter((r) => r.contender === name).map((r) => r.perSecond));
  console.log(`${name.padEnd(9)} articles/s (min / median / max over ${rounds} rounds): ${formatSpread(rates, 0)}`);
  if (name === 'ours') {
    const ok = rates.median >= floor.minArticlesPerSecond;
    below = !ok;
    console.log(`ours: median ${rates.median.toFixed(0)} articles/s (floor ${floor.minArticlesPerSecond}) ${ok ? 'ok' : 'BELOW FLOOR'}`);
  }
}
process.exitCode = below ? 1 : 0;

/** Fills the queue, runs a store process from `checkout` until it is drained; articles per second. */
async function drain(checkout: string, prefix: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const databasePath = join(dir, 'articles.db');
  await fillQueue(prefix);
  const env = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete env[name];
  Object.assign(env, { REDIS_URL: redis.url, QUEUE_PREFIX: prefix, DATABASE_PATH: databasePath, LOG_LEVEL: 'warn' });
  const store = spawnTracked('store', process.execPath, [join(checkout, 'bin/ingest.js'), 'worker', '--role', 'store'], { ...env, LOG_LEVEL: 'info' });
  try {
    await store.waitForLine((line) => line.includes('"workers started"'));
    const started = performance.now();
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      const count = db.prepare('select count(*) as n from crawl_state');
      for (;;) {
        if (store.child.exitCode !== null) throw new Error(`the store exited with ${store.child.exitCode}:\n${store.stderr().slice(-2000)}`);
        if ((count.get() as { n: number }).n >= jobs) break;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    } finally {
      db.close();
    }
    return jobs / ((performance.now() - started) / 1000);
  } finally {
    await store.stop(STOP_GRACE_MS);
    await deleteKeys(prefix);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function fillQueue(prefix: string): Promise<void> {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue<StoreJobData>(STORE_QUEUE, { connection, prefix });
  try {
    for (let first = 0; first < jobs; first += FILL_BATCH) {
      const batch = [];
      for (let i = first; i < Math.min(jobs, first + FILL_BATCH); i++) {
        const article = synthesizeArticle(bases, i, jobs);
        const data: StoreJobData = {
          outcome: {
            url: article.url!, site: article.site!, status: 'stored', reason: null, httpStatus: 200, error: null, attempts: 1,
            finalUrl: article.url!, etag: null, lastModified: null, contentHash: article.contentHash, fetchMs: 120,
            fetchedAt: article.retrievedAt!, nextFetchAt: null,
          },
          article,
        };
        batch.push({ name: 'store', data, opts: { ...storeJobOptions(), jobId: `bench-${i}` } });
      }
      await queue.addBulk(batch);
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

async function deleteKeys(prefix: string): Promise<void> {
  const client = new Redis(redis.url);
  try {
    const keys = await client.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 1000) await client.del(...keys.slice(i, i + 1000));
  } finally {
    client.disconnect();
  }
}
