/**
 * Pipeline throughput: the 121 DEV pages of the extraction benchmark, served from loopback,
 * enqueued and run end to end (fetch → extract → store queue → SQLite) by one worker process.
 * Prints pages per second. A script that prints figures, not a test.
 *
 *   npm run bench:pipeline [-- --concurrency 16] [--rounds 3]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { closeDatabase, openDatabase } from '../db/client.ts';
import { parseConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { enqueueUrls } from '../src/queue/enqueue-urls.ts';
import { openQueues } from '../src/queue/queues.ts';
import { createRedisConnection } from '../src/queue/redis-connection.ts';
import { readDatabaseTotals } from '../src/store/database-totals.ts';
import { startWorkers } from '../workers/start-workers.ts';
import { SHARED_DIR } from './shared-dir.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: resolve(SHARED_DIR, 'benchmarks/article-extraction/html') },
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '3' },
  },
});

const pages = new Map(
  readdirSync(values.dir!)
    .filter((name) => name.endsWith('.html'))
    .map((name) => [`/${name}`, readFileSync(join(values.dir!, name))]),
);

const server = createServer((req, res) => {
  const body = pages.get(req.url ?? '');
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.byteLength });
  res.end(body);
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const concurrency = Number(values.concurrency);

console.log(`pipeline benchmark: ${pages.size} pages from ${values.dir}, one worker process (role all), fetch concurrency ${concurrency}`);
const rates: number[] = [];
for (let round = 1; round <= Number(values.rounds); round++) {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-bench-'));
  const config = parseConfig({
    REDIS_URL: process.env['REDIS_URL'],
    QUEUE_PREFIX: `bench-pipeline-${process.pid}-${round}`,
    DATABASE_PATH: join(dir, 'articles.db'),
    ALLOW_PRIVATE_NETWORKS: 'true',
    RESPECT_ROBOTS: 'false',
    PER_HOST_CONCURRENCY: String(concurrency),
    PER_HOST_DELAY_MS: '0',
    WORKER_CONCURRENCY: String(concurrency),
  });
  const redis = createRedisConnection(config.REDIS_URL);
  const queues = openQueues(config, redis);
  const workers = startWorkers({ config, role: 'all', concurrency, logger: silentLogger, profiles: [] });
  await workers.ready;
  const db = openDatabase(config.DATABASE_PATH);
  const started = performance.now();
  await enqueueUrls(config, redis, queues, [...pages.keys()].map((path) => `${origin}${path}`), { now: new Date() });
  let totals = readDatabaseTotals(db, new Date());
  const finished = () => Object.entries(totals.urlsByStatus).filter(([s]) => s !== 'retrying').reduce((n, [, c]) => n + c, 0);
  while (finished() < pages.size) {
    await new Promise((r) => setTimeout(r, 20));
    totals = readDatabaseTotals(db, new Date());
  }
  const seconds = (performance.now() - started) / 1000;
  rates.push(pages.size / seconds);
  console.log(
    `round ${round}: ${pages.size} pages in ${seconds.toFixed(2)} s = ${(pages.size / seconds).toFixed(1)} pages/s; ` +
      `stored ${totals.urlsByStatus['stored'] ?? 0}, failed ${totals.urlsByStatus['failed'] ?? 0}` +
      (totals.failuresByReason.length ? ` (${totals.failuresByReason.map((f) => `${f.reason} ${f.count}`).join(', ')})` : ''),
  );
  closeDatabase(db);
  await workers.close();
  await queues.fetch.obliterate({ force: true });
  await queues.store.obliterate({ force: true });
  await redis.del(`${config.QUEUE_PREFIX}:known-urls`);
  const leftover = await redis.keys(`${config.QUEUE_PREFIX}:*`);
  if (leftover.length) await redis.del(...leftover);
  await queues.close();
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
}
rates.sort((a, b) => a - b);
console.log(`median ${rates[Math.floor(rates.length / 2)]!.toFixed(1)} pages/s end to end (enqueue to stored in SQLite)`);
server.close();
