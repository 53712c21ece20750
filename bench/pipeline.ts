/**
 * Pipeline throughput, end to end, beside Scrapy: N URLs (the extraction benchmark's pages as
 * query-string variants) over several loopback hosts, enqueue → fetch → extract → store, run by
 * whole processes: ours in one process (--role all) and split into fetch ×k + store, Scrapy
 * fetching the same URLs and yielding each page's body text, a plain undici fetch (the ceiling)
 * and extraction alone, in interleaved rounds on one machine. Prints pages/s, CPU seconds per
 * page, peak RSS per process and time per page, min / median / max over the rounds, and exits 1
 * when our pages/s falls below the floors of bench/floors/pipeline.json (ratios to Scrapy in the
 * same rounds, so a loaded machine slows both alike) or a process of ours peaks above its memory
 * goal there.
 *
 *   npm run bench:pipeline                      # quick: 905 URLs, 1 round (about 2 minutes)
 *   npm run bench:pipeline -- --mode full       # 905 and 10,000 URLs, 5 rounds
 *   npm run bench:pipeline -- --mode scale      # 2,000, 10,000 and 50,000 URLs: pages/s and peak RSS per process by size
 *   npm run bench:pipeline -- --sizes 2000 --rounds 3 --only ours-all,scrapy
 *   npm run bench:pipeline -- --redis-commands  # Redis commands per stored page (MONITOR), one run
 *   npm run bench:pipeline -- --redis-port 6420 # the private redis-server on another port
 *   npm run bench:pipeline -- --fetch-node-args='--cpu-prof --cpu-prof-dir=/tmp/prof'   # node options of the fetch processes
 *   npm run bench:pipeline -- --env EXTRACT_THREADS=1   # a setting for our processes (repeatable)
 *   npm run bench:pipeline -- --baseline-root ../main   # each of our layouts chosen also runs from that (built) checkout, as baseline-…
 *   npm run bench:pipeline -- --cores 1,2       # every contender pinned to 1 core, then to 2 (taskset): does throughput grow with cores?
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { extractOnly, ours, plainFetch, scrapy, type BenchContext, type Contender } from './pipeline/contenders.ts';
import { formatSpread, MB, spread, type RunFigures } from './pipeline/figures.ts';
import { startPrivateRedis, type PrivateRedis } from './pipeline/private-redis.ts';
import { countRedisCommands } from './pipeline/redis-commands.ts';
import { floorsForSize, type RatioFloors } from './pipeline/size-floors.ts';
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
/**
 * The modes: quick runs the smallest gated size (905 URLs, the issue's) once, full gives the
 * figures of the README, scale shows whether memory and speed stay flat as the crawl grows
 * (ours split into fetch + store, one round per size; 50,000 URLs take some minutes).
 */
const MODES = {
  quick: { sizes: [905], rounds: 1, only: null },
  full: { sizes: [905, 10_000], rounds: 5, only: null },
  scale: { sizes: [2_000, 10_000, 50_000], rounds: 1, only: ['ours-fetch1+store'] },
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
    'fetch-node-args': { type: 'string', default: '' },
    env: { type: 'string', multiple: true, default: [] },
    cores: { type: 'string' },
  },
});

const root = process.cwd();
const floors = JSON.parse(readFileSync(join(root, 'bench/floors/pipeline.json'), 'utf8')) as {
  /** Crawl size (URLs) → contender → least median ratio to Scrapy, from that size up (see size-floors.ts). */
  ratioToScrapyFromSize: Record<string, RatioFloors>;
  maxPeakRssMbPerProcess: number;
};
const mode = MODES[values.mode as keyof typeof MODES];
if (!mode) throw new Error(`--mode must be quick, full or scale, not ${values.mode}`);
const sizes = values.sizes ? values.sizes.split(',').map(Number) : [...mode.sizes];
const rounds = values.rounds ? Number(values.rounds) : mode.rounds;
/** --cores: the core counts to pin every contender to in turn (null: one run on all cores, unpinned). */
const machineCores = availableParallelism();
const coreCounts: Array<number | null> = values.cores ? values.cores.split(',').map(Number) : [null];
for (const cores of coreCounts) {
  if (cores !== null && !(Number.isInteger(cores) && cores >= 1 && cores <= machineCores)) {
    throw new Error(`--cores takes core counts from 1 to ${machineCores} (this machine's), not ${values.cores}`);
  }
}

const CONTENDERS: Contender[] = [
  ours('ours-all', 1, false),
  ours('ours-fetch1+store', 1, true),
  ours('ours-fetch2+store', 2, true),
  scrapy,
  plainFetch,
  extractOnly,
];
const only = values.only?.split(',') ?? (mode.only ? [...mode.only] : undefined);
const chosen = only ? CONTENDERS.filter((c) => only.includes(c.name)) : CONTENDERS;
/** With --baseline-root, each of our layouts chosen runs from that checkout too, as baseline-…. */
const BASELINE_LAYOUTS: ReadonlyArray<[string, number, boolean]> = [
  ['all', 1, false],
  ['fetch1+store', 1, true],
  ['fetch2+store', 2, true],
];
const baselines = values['baseline-root']
  ? BASELINE_LAYOUTS.filter(([layout]) => chosen.some((c) => c.name === `ours-${layout}`) || only?.includes(`baseline-${layout}`) || (!only && layout === 'all')).map(
      ([layout, processes, split]) => ours(`baseline-${layout}`, processes, split, resolve(values['baseline-root']!)),
    )
  : [];
const contenders = [...chosen, ...baselines];

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
/** Our runs of every size, for the crawl-size summary. */
const bySize: Array<{ size: number; name: string; runs: RunFigures[] }> = [];
/** Every contender's runs by size and core count, for the summary of --cores. */
const byCores: Array<{ size: number; cores: number; name: string; runs: RunFigures[] }> = [];
try {
  console.log(
    `pipeline benchmark: ${served.pages.length} pages as query-string variants over ${served.origins.length} loopback hosts, ` +
      `${IN_FLIGHT} requests in flight per contender, no politeness delay, robots.txt obeyed, ${rounds} interleaved round(s); ` +
      `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
  for (const size of sizes) {
    const urlFile = join(work, `urls-${size}.txt`);
    writeFileSync(urlFile, benchUrls(served.origins, served.pages, size).join('\n') + '\n');
    for (const cores of coreCounts) {
      const label = cores === null ? `${size} URLs` : `${size} URLs on ${cores} core${cores === 1 ? '' : 's'}`;
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
        fetchNodeArgs: values['fetch-node-args']!.split(' ').filter((arg) => arg !== ''),
        extraEnv: Object.fromEntries(values.env!.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
        cores,
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
          console.error(`  ${label}, round ${round}, ${contender.name}: ${(figures.pages / figures.seconds).toFixed(1)} pages/s`);
        }
      }
      printTable(label, results);
      // The floors are ratios on the whole machine; runs pinned to fewer cores are measured, not gated.
      if (cores === null || cores === machineCores) belowFloor = checkFloors(label, size, results) || belowFloor;
      belowFloor = checkMemory(label, results) || belowFloor;
      if (cores === null) {
        for (const [name, runs] of results) if (runs[0]?.cpuSecondsByKind) bySize.push({ size, name, runs }); // ours and a baseline
      }
      for (const [name, runs] of results) byCores.push({ size, cores: cores ?? machineCores, name, runs });
    }
  }
  if (sizes.length > 1 && coreCounts.length === 1 && coreCounts[0] === null) printScale(bySize);
  if (coreCounts.length > 1) printCores(byCores);
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

function printTable(label: string, results: Map<string, RunFigures[]>): void {
  console.log(`\n${label} (min / median / max over ${rounds} round(s)):`);
  const rows = [['contender', 'pages/s', 'CPU ms/page', 'CPU ms/page by process', 'peak RSS MB per process', 'p50 / p95 ms per page', 'ready s', 'peak store backlog']];
  for (const [name, runs] of results) {
    const rss = new Map<string, number[]>();
    for (const run of runs) for (const [kind, bytes] of Object.entries(run.peakRssBytes)) rss.set(kind, [...(rss.get(kind) ?? []), bytes / MB]);
    const cpuByKind = new Map<string, number[]>();
    for (const run of runs) {
      for (const [kind, seconds] of Object.entries(run.cpuSecondsByKind ?? {})) cpuByKind.set(kind, [...(cpuByKind.get(kind) ?? []), (seconds * 1000) / run.pages]);
    }
    const redisCpu = runs.every((r) => r.redisCpuSeconds !== undefined) ? ` (+Redis ${formatSpread(spread(runs.map((r) => (r.redisCpuSeconds! * 1000) / r.pages)), 2)})` : '';
    rows.push([
      name,
      formatSpread(spread(runs.map((r) => r.pages / r.seconds))),
      formatSpread(spread(runs.map((r) => (r.cpuSeconds * 1000) / r.pages)), 2) + redisCpu,
      [...cpuByKind].map(([kind, ms]) => `${kind} ${formatSpread(spread(ms), 2)}`).join(', '),
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
function checkFloors(label: string, size: number, results: Map<string, RunFigures[]>): boolean {
  const peer = results.get('scrapy');
  if (!peer) return false;
  const pinned = floorsForSize(floors.ratioToScrapyFromSize, size);
  if (pinned.fromSize === null) {
    const smallest = Math.min(...Object.keys(floors.ratioToScrapyFromSize).map(Number));
    console.log(`${label}: no throughput floor below ${smallest} URLs (start-up weighs there): measured, not gated`);
  }
  let below = false;
  for (const [name, floor] of Object.entries(pinned.floors)) {
    const runs = results.get(name);
    if (!runs) continue;
    const ratios = runs.map((run, i) => run.pages / run.seconds / (peer[i]!.pages / peer[i]!.seconds));
    const ratio = spread(ratios);
    const ok = ratio.median >= floor;
    below ||= !ok;
    console.log(`${label}: ${name} / scrapy pages/s = ${formatSpread(ratio, 2)} (floor ${floor} from ${pinned.fromSize} URLs) ${ok ? 'ok' : 'BELOW FLOOR'}`);
  }
  return below;
}

/** Our processes' peak RSS against the goal (bench/floors/pipeline.json): every size, every process. */
function checkMemory(label: string, results: Map<string, RunFigures[]>): boolean {
  let over = false;
  for (const [name, runs] of results) {
    if (!name.startsWith('ours-')) continue; // the peers, and a baseline checkout
    for (const kind of Object.keys(runs[0]?.peakRssBytes ?? {})) {
      const peak = Math.max(...runs.map((run) => (run.peakRssBytes[kind] ?? 0) / MB));
      const ok = peak <= floors.maxPeakRssMbPerProcess;
      over ||= !ok;
      console.log(`${label}: ${name} ${kind} process peak RSS ${peak.toFixed(0)} MB (goal ${floors.maxPeakRssMbPerProcess}) ${ok ? 'ok' : 'OVER THE GOAL'}`);
    }
  }
  return over;
}

/** Pages/s and peak RSS of each of our layouts and processes, size by size: flat or not. */
function printScale(runs: ReadonlyArray<{ size: number; name: string; runs: RunFigures[] }>): void {
  console.log('\nby crawl size (median over rounds):');
  for (const { size, name, runs: figures } of runs) {
    const rss = Object.keys(figures[0]!.peakRssBytes)
      .map((kind) => `${kind} ${spread(figures.map((f) => (f.peakRssBytes[kind] ?? 0) / MB)).median.toFixed(0)} MB`)
      .join(', ');
    console.log(`  ${String(size).padStart(7)} URLs  ${name}: ${spread(figures.map((f) => f.pages / f.seconds)).median.toFixed(1)} pages/s, peak RSS ${rss}`);
  }
}

/** Each contender's pages/s on each core count, and its gain over the fewest cores run: does it use more cores? */
function printCores(runs: ReadonlyArray<{ size: number; cores: number; name: string; runs: RunFigures[] }>): void {
  console.log('\nby cores (median over rounds; gain over the fewest cores):');
  for (const { size, cores, name, runs: figures } of runs) {
    const rate = spread(figures.map((f) => f.pages / f.seconds)).median;
    const first = runs.find((r) => r.size === size && r.name === name)!;
    const gain = rate / spread(first.runs.map((f) => f.pages / f.seconds)).median;
    const cpu = spread(figures.map((f) => (f.cpuSeconds * 1000) / f.pages)).median;
    console.log(`  ${String(size).padStart(7)} URLs  ${String(cores).padStart(2)} core(s)  ${name.padEnd(18)} ${rate.toFixed(1).padStart(7)} pages/s  ×${gain.toFixed(2)}  ${cpu.toFixed(2)} CPU ms/page`);
  }
}
