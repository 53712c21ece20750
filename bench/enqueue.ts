/**
 * Enqueue at scale: `ingest enqueue --file` of N distinct URLs (100,000 and 1,000,000 by
 * default) into the benchmark's own Redis, as a whole process. Prints the time, the enqueue
 * process's peak RSS and Redis memory per waiting URL, and exits 1 when a figure misses the
 * goals pinned in bench/floors/enqueue.json.
 *
 *   npm run bench:enqueue [-- --sizes 100000,1000000] [--redis-defaults] [--redis-port 6405]
 *
 * Redis runs with the settings docker-compose.yml gives it (packed small hashes); with
 * --redis-defaults, with Redis's own defaults.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { CONFIG_VARIABLES } from '../src/config.ts';
import { MB } from './pipeline/figures.ts';
import { SHIPPED_REDIS_SETTINGS, startPrivateRedis } from './pipeline/private-redis.ts';
import { readProcessUsage } from './pipeline/process-stats.ts';
import { spawnTracked } from './pipeline/tracked-process.ts';

/**
 * Default port of the benchmark's own redis-server (6400–6409 are set aside for benchmarks and
 * tests); `--redis-port` picks another.
 */
const PRIVATE_REDIS_PORT = 6405;
/** How often the enqueue process's peak RSS is read while it runs. */
const RSS_POLL_MS = 50;

interface EnqueueGoals {
  /** Longest time for 100,000 URLs, seconds. */
  maxSecondsPer100k: number;
  /** Most Redis memory per waiting URL, bytes. */
  maxRedisBytesPerUrl: number;
  /** Largest peak RSS of the enqueue process, whatever the size, MB. */
  maxPeakRssMb: number;
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    'redis-defaults': { type: 'boolean', default: false },
    'redis-port': { type: 'string', default: String(PRIVATE_REDIS_PORT) },
  },
});
const goals = JSON.parse(readFileSync(join(process.cwd(), 'bench/floors/enqueue.json'), 'utf8')) as EnqueueGoals;
// Redis as docker-compose.yml runs it, or with Redis's own defaults (--redis-defaults).
const redis = await startPrivateRedis(Number(values['redis-port']), values['redis-defaults'] ? [] : SHIPPED_REDIS_SETTINGS);
const client = new Redis(redis.url);
const dir = mkdtempSync(join(tmpdir(), 'bench-enqueue-'));
let missed = false;
try {
  for (const size of values.sizes!.split(',').map(Number)) {
    const file = join(dir, `urls-${size}.txt`);
    const out = createWriteStream(file);
    for (let i = 0; i < size; i++) {
      // Many sites, many sections, as a real list is: 1,000 hosts, paths with numbers.
      if (!out.write(`https://news${i % 1000}.example/section-${i % 37}/story-${i}.html\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    await client.flushdb();
    const before = Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
    const env = { ...process.env };
    for (const name of CONFIG_VARIABLES) delete env[name];
    Object.assign(env, { REDIS_URL: redis.url, QUEUE_PREFIX: 'bench-enqueue', DATABASE_PATH: join(dir, 'unused.db') });
    const started = performance.now();
    const enqueue = spawnTracked('enqueue', process.execPath, [join(process.cwd(), 'bin/ingest.js'), 'enqueue', '--file', file], env);
    let peakRss = 0;
    const poll = setInterval(() => {
      try {
        peakRss = Math.max(peakRss, readProcessUsage(enqueue.child.pid!).peakRssBytes);
      } catch {
        // exited between two polls
      }
    }, RSS_POLL_MS);
    const code = await enqueue.exited;
    clearInterval(poll);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`enqueue exited with ${code}: ${enqueue.stderr().slice(-2000)}`);
    const after = Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
    const waiting = await client.llen('bench-enqueue:fetch:wait');
    const perUrl = (after - before) / size;
    const secondsPer100k = (seconds * 100_000) / size;
    console.log(
      `${size} URLs: ${seconds.toFixed(2)} s (${Math.round(size / seconds)} URLs/s), enqueue process peak RSS ${(peakRss / MB).toFixed(0)} MB, ` +
        `Redis ${((after - before) / MB).toFixed(1)} MB = ${perUrl.toFixed(0)} bytes per waiting URL (${waiting} waiting); ${enqueue.stdout().trim()}`,
    );
    for (const [ok, what] of [
      [secondsPer100k <= goals.maxSecondsPer100k, `${secondsPer100k.toFixed(2)} s per 100k (goal ${goals.maxSecondsPer100k})`],
      [perUrl <= goals.maxRedisBytesPerUrl, `${perUrl.toFixed(0)} bytes per URL (goal ${goals.maxRedisBytesPerUrl})`],
      [peakRss / MB <= goals.maxPeakRssMb, `${(peakRss / MB).toFixed(0)} MB peak RSS (goal ${goals.maxPeakRssMb})`],
    ] as const) {
      if (!ok) missed = true;
      console.log(`  ${ok ? 'ok' : 'MISSED'}: ${what}`);
    }
  }
} finally {
  client.disconnect();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = missed ? 1 : 0;
