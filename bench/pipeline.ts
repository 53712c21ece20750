/**
 * Pipeline throughput, end to end, beside Scrapy: N URLs (the extraction benchmark's pages as
 * query-string variants) over several loopback hosts, enqueue → fetch → extract → store, run by
 * whole processes: ours in one process (--role all) and split into fetch ×k + store, Scrapy
 * fetching the same URLs and yielding each page's body text, a plain undici fetch (the ceiling)
 * and extraction alone, in interleaved rounds on one machine. Prints pages/s, CPU seconds per
 * page, peak RSS per process and time per page, min / median / max over the rounds, and exits 1
 * when our pages/s falls below the floors of bench/floors/pipeline.json (ratios to Scrapy in the
 * same rounds, so a loaded machine slows both alike).
 *
 *   npm run bench:pipeline                      # quick: 363 URLs, 1 round (CI-sized, < 1 minute)
 *   npm run bench:pipeline -- --mode full       # 905 and 10,000 URLs, 5 rounds
 *   npm run bench:pipeline -- --sizes 2000 --rounds 3 --only ours-all,scrapy
 *   npm run bench:pipeline -- --redis-commands  # Redis commands per stored page (MONITOR), one run
 *   npm run bench:pipeline -- --redis-port 6420 # the private redis-server on another port
 *   npm run bench:pipeline -- --baseline-root ../main   # adds that checkout's pipeline (built) as "baseline-all"
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { extractOnly, ours, plainFetch, scrapy, type BenchContext, type Contender } from './pipeline/contenders.ts';
import { formatSpread, MB, spread, type RunFigures } from './pipeline/figures.ts';
import { startPrivateRedis, type PrivateRedis } from './pipeline/private-redis.ts';
import { countRedisCommands } from './pipeline/redis-commands.ts';
import { spawnTracked } from './pipeline/tracked-process.ts';
import { SHARED_DIR } from './shared-dir.ts';

/** The loopback hosts the pages are served on (every 127.x address is loopback). */
const HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];
/** Requests in flight in every contender: Scrapy's CONCURRENT_REQUESTS, our --concurrency. */
const IN_FLIGHT = 32;
/**
 * Default port of the benchmark's own redis-server (6400–6409 are set aside for benchmarks and
 * tests); --redis-port picks another, so two runs on one machine do not share a server.
 */
const PRIVATE_REDIS_PORT = 6400;
/** The modes: quick fits a CI minute, full gives the figures of the README. */
const MODES = {
  quick: { sizes: [363], rounds: 1 },
  full: { sizes: [905, 10_000], rounds: 5 },
} as const;
/** Slowest rate any contender may run at before the run counts as hung (pages per second). */
const HANG_PAGES_PER_SECOND = 2;

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'quick' },
    sizes: { type: 'string' },
    rounds: { type: 'string' },
    only: { type: 'string' },
    'redis-url': { type: 'string' },
    'redis-port': { type: 'string', default: String(PRIVATE_REDIS_PORT) },
    python: { type: 'string', default: '/usr/bin/python3' },
    'redis-commands': { type: 'boolean', default: false },
    dir: { type: 'string', default: resolve(SHARED_DIR, 'benchmarks/article-extraction/html') },
    'baseline-root': { type: 'string' },
  },
});

const root = process.cwd();
const floors = JSON.parse(readFileSync(join(root, 'bench/floors/pipeline.json'), 'utf8')) as { ratioToScrapy: Record<string, number> };
const mode = MODES[values.mode as keyof typeof MODES];
if (!mode) throw new Error(`--mode must be quick or full, not ${values.mode}`);
const sizes = values.sizes ? values.sizes.split(',').map(Number) : [...mode.sizes];
const rounds = values.rounds ? Number(values.rounds) : mode.rounds;

const CONTENDERS: Contender[] = [
  ours('ours-all', 1, false),
  ours('ours-fetch1+store', 1, true),
  ours('ours-fetch2+store', 2, true),
  scrapy,
  plainFetch,
  extractOnly,
  ...(values['baseline-root'] ? [ours('baseline-all', 1, false, resolve(values['baseline-root']))] : []),
];
const only = values.only?.split(',');
const contenders = only ? CONTENDERS.filter((c) => only.includes(c.name)) : CONTENDERS;

if (contenders.includes(scrapy)) {
  try {
    execFileSync(values.python!, ['-c', 'import scrapy'], { stdio: 'ignore' });
  } catch {
    console.error(`the peer needs Scrapy for ${values.python}: apt-get install -y python3-scrapy (or pass --python)`);
    process.exit(1);
  }
}

const redis: PrivateRedis | null = values['redis-url'] ? null : await startPrivateRedis(Number(values['redis-port']));
const redisUrl = values['redis-url'] ?? redis!.url;
const server = spawnTracked('page server', process.execPath, [join(root, 'dist/bench/pipeline/page-server.js'), '--dir', values.dir!, '--hosts', HOSTS.join(',')], process.env);
await server.waitForLine((line) => line.startsWith('{"origins"'));
const served = JSON.parse(server.stdout().split('\n')[0]!) as { origins: string[]; pages: string[] };
const work = mkdtempSync(join(tmpdir(), 'bench-urls-'));

let belowFloor = false;
try {
  console.log(
    `pipeline benchmark: ${served.pages.length} pages as query-string variants over ${served.origins.length} loopback hosts, ` +
      `${IN_FLIGHT} requests in flight per contender, no politeness delay, robots.txt obeyed, ${rounds} interleaved round(s); ` +
      `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
  for (const size of sizes) {
    const urlFile = join(work, `urls-${size}.txt`);
    writeFileSync(urlFile, benchUrls(served.origins, served.pages, size).join('\n') + '\n');
    const ctx: BenchContext = {
      root,
      urlFile,
      urlCount: size,
      pagesDir: values.dir!,
      inFlight: IN_FLIGHT,
      redisUrl,
      redisPid: redis?.pid ?? null,
      python: values.python!,
      timeoutMs: (size / HANG_PAGES_PER_SECOND) * 1000 + 60_000,
    };
    if (values['redis-commands']) {
      await countRedisCommands(ctx, ours('ours-all', 1, false));
      if (values['baseline-root']) await countRedisCommands(ctx, ours('baseline-all', 1, false, resolve(values['baseline-root'])));
      continue;
    }
    const results = new Map<string, RunFigures[]>(contenders.map((c) => [c.name, []]));
    for (let round = 1; round <= rounds; round++) {
      // Interleaved: each round runs every contender once, starting from a different one.
      const order = contenders.map((_, i) => contenders[(i + round - 1) % contenders.length]!);
      for (const contender of order) {
        const figures = await contender.run(ctx, round);
        results.get(contender.name)!.push(figures);
        console.error(`  ${size} URLs, round ${round}, ${contender.name}: ${(figures.pages / figures.seconds).toFixed(1)} pages/s`);
      }
    }
    printTable(size, results);
    belowFloor = checkFloors(size, results) || belowFloor;
  }
} finally {
  await server.stop(5_000);
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = belowFloor ? 1 : 0;

/** N distinct URLs: page i of the benchmark set on host i mod hosts, variant number i. */
function benchUrls(origins: readonly string[], pages: readonly string[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${origins[i % origins.length]}${pages[i % pages.length]}?v=${i}`);
}

function printTable(size: number, results: Map<string, RunFigures[]>): void {
  console.log(`\n${size} URLs (min / median / max over ${rounds} round(s)):`);
  const rows = [['contender', 'pages/s', 'CPU ms/page', 'peak RSS MB per process', 'p50 / p95 ms per page', 'ready s', 'peak store backlog']];
  for (const [name, runs] of results) {
    const rss = new Map<string, number[]>();
    for (const run of runs) for (const [kind, bytes] of Object.entries(run.peakRssBytes)) rss.set(kind, [...(rss.get(kind) ?? []), bytes / MB]);
    const redisCpu = runs.every((r) => r.redisCpuSeconds !== undefined) ? ` (+Redis ${formatSpread(spread(runs.map((r) => (r.redisCpuSeconds! * 1000) / r.pages)), 2)})` : '';
    rows.push([
      name,
      formatSpread(spread(runs.map((r) => r.pages / r.seconds))),
      formatSpread(spread(runs.map((r) => (r.cpuSeconds * 1000) / r.pages)), 2) + redisCpu,
      [...rss].map(([kind, mbs]) => `${kind} ${formatSpread(spread(mbs), 0)}`).join(', '),
      `${formatSpread(spread(runs.map((r) => r.p50Ms ?? 0)), 0)} / ${formatSpread(spread(runs.map((r) => r.p95Ms ?? 0)), 0)}`,
      runs[0]?.readySeconds ? formatSpread(spread(runs.flatMap((r) => r.readySeconds ?? [])), 2) : '',
      runs[0]?.peakStoreBacklog !== undefined ? formatSpread(spread(runs.map((r) => r.peakStoreBacklog ?? 0)), 0) : '',
    ]);
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  for (const row of rows) console.log(row.map((cell, col) => cell.padEnd(widths[col]!)).join('  '));
}

/** Median over rounds of our pages/s divided by Scrapy's in the same round, against the floors. */
function checkFloors(size: number, results: Map<string, RunFigures[]>): boolean {
  const peer = results.get('scrapy');
  if (!peer) return false;
  let below = false;
  for (const [name, floor] of Object.entries(floors.ratioToScrapy)) {
    const runs = results.get(name);
    if (!runs) continue;
    const ratios = runs.map((run, i) => run.pages / run.seconds / (peer[i]!.pages / peer[i]!.seconds));
    const ratio = spread(ratios);
    const ok = ratio.median >= floor;
    below ||= !ok;
    console.log(`${size} URLs: ${name} / scrapy pages/s = ${formatSpread(ratio, 2)} (floor ${floor}) ${ok ? 'ok' : 'BELOW FLOOR'}`);
  }
  return below;
}
