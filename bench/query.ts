/**
 * Queries at a million articles: `npm run bench:query [-- --articles 1000000] [--runs 30]`.
 *
 * Builds (once, then cached under ~/.cache/article-ingest/, never in the repository) a database
 * of synthetic articles (bench/article-corpus.ts: the benchmark pages' texts under their own
 * addresses, sites, languages and dates) written through the store's own write path (prepared
 * statements, batched transactions, the FTS triggers and article versions as in production),
 * then times each kind of `ingest query` through the very function the command runs
 * (writeQueryResult: the rows, then the count behind "50 of N rows"), and the HTTP API's first
 * page (listArticles, /api/articles). Prints p50 / p95 per kind and the database's size per
 * article, and exits 1 when a p95 is above its ceiling in bench/floors/query.json.
 *
 * The cache is keyed by the corpus version, the article count and the schema (the newest
 * migration); a cached database of an older schema is migrated forward, as a user's would be.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { closeDatabase, openDatabase } from '../db/client.ts';
import { DEFAULT_LIMIT, TABLE_COLUMNS, writeQueryResult } from '../src/cli/query.ts';
import { parseArticleFilters, type ArticleFilterFlags } from '../src/cli/article-filter-args.ts';
import { listArticles } from '../src/store/article-listing.ts';
import { inWriteTransaction, writeArticle } from '../src/store/article-store.ts';
import { writeCrawlOutcome } from '../src/store/crawl-state-store.ts';
import { openSqliteReader } from '../src/store/sqlite-reader.ts';
import { CORPUS_VERSION, loadBaseArticles, SITES, synthesizeArticle } from './article-corpus.ts';
import { percentile } from './pipeline/figures.ts';
import { SHARED_DIR } from './shared-dir.ts';

/** Articles written per transaction while building: the store's batches, larger (no one waits). */
const BUILD_BATCH = 1_000;
/** Page cache for the build, KiB (negative: SQLite's unit for cache_size in KiB). */
const BUILD_CACHE_KIB = 256 * 1024;

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '30' },
    dir: { type: 'string', default: resolve(SHARED_DIR, 'benchmarks/article-extraction/html') },
    'cache-dir': { type: 'string', default: join(homedir(), '.cache', 'article-ingest') },
  },
});
const total = Number(values.articles);
const runs = Number(values.runs);
const root = process.cwd();
const floors = JSON.parse(readFileSync(join(root, 'bench/floors/query.json'), 'utf8')) as { maxP95Ms: Record<string, number> };

const path = await cachedDatabase(values['cache-dir']!, total);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const bytes = ['', '-wal'].reduce((sum, suffix) => sum + (existsSync(path + suffix) ? statSync(path + suffix).size : 0), 0);
console.log(`query benchmark: ${total.toLocaleString('en')} articles in ${path}; ${(bytes / 1024 ** 3).toFixed(2)} GiB, ${Math.round(bytes / total).toLocaleString('en')} bytes per article; load average ${loadavg()}`);

/** The kinds of query, each a list of CLI flag sets run in turn (so no one value is the whole story). */
const KINDS: Record<string, ArticleFilterFlags[]> = {
  unfiltered: [{}],
  site: SITES.slice(0, 10).map((site) => ({ site })),
  'since-until': ['2021-03', '2022-07', '2023-11', '2025-06'].map((month) => ({ since: `${month}-01`, until: `${month}-28` })),
  since: [{ since: '2025-12-01' }, { since: '2024-01-01' }],
  language: [{ language: 'fa' }, { language: 'en' }, { language: 'de' }, { language: 'en-GB' }],
  'site+since': SITES.slice(0, 5).map((site) => ({ site, since: '2024-06-01' })),
  search: [{ search: 'government' }, { search: '"prime minister"' }, { search: 'econom*' }, { search: 'Report 424242' }, { search: 'police OR court' }],
  'search+site': SITES.slice(0, 5).map((site, i) => ({ site, search: ['government', 'court', 'Report 424242', 'econom*', 'minister'][i]! })),
};

/** Discards what a query prints (its cost is the formatting, not a terminal). */
const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });

const reader = openSqliteReader(path);
const serveDb = openDatabase(path, { readonly: true });
const results: Array<{ kind: string; p50: number; p95: number }> = [];
try {
  for (const [kind, flagSets] of Object.entries(KINDS)) {
    const timings = await timeRuns(flagSets, async (flags) => {
      const filters = { ...parseArticleFilters(flags), limit: DEFAULT_LIMIT };
      await writeQueryResult(reader, filters, { count: false, format: 'table', fields: TABLE_COLUMNS }, sink(), sink());
    });
    results.push({ kind, ...timings });
  }
  // The HTTP API's list (GET /api/articles), first page and filtered by site.
  const serveSites = SITES.slice(0, 10);
  results.push({ kind: 'api-list', ...(await timeRuns([{}], async () => void listArticles(serveDb, {}, null, DEFAULT_LIMIT))) });
  results.push({ kind: 'api-list-site', ...(await timeRuns(serveSites.map((site) => ({ site })), async (flags) => void listArticles(serveDb, { site: flags.site }, null, DEFAULT_LIMIT))) });
} finally {
  reader.close();
  closeDatabase(serveDb);
}

console.log(`\n${runs} runs per kind (first run of each flag set untimed), ms; load average ${loadavg()}`);
let above = false;
for (const { kind, p50, p95 } of results) {
  const ceiling = floors.maxP95Ms[kind];
  const ok = ceiling === undefined || p95 <= ceiling;
  above ||= !ok;
  console.log(`${kind.padEnd(14)} p50 ${p50.toFixed(1).padStart(7)}  p95 ${p95.toFixed(1).padStart(7)}${ceiling === undefined ? '' : `  (ceiling ${ceiling}) ${ok ? 'ok' : 'ABOVE CEILING'}`}`);
}
process.exitCode = above ? 1 : 0;

async function timeRuns<T>(variants: readonly T[], run: (variant: T) => Promise<void>): Promise<{ p50: number; p95: number }> {
  for (const variant of variants) await run(variant); // warm: the statement cache and the pages it reads
  const timings: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run(variants[i % variants.length]!);
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  return { p50: percentile(timings, 0.5)!, p95: percentile(timings, 0.95)! };
}

/** The cached database for this corpus and schema: migrated forward from an older one, or built. */
async function cachedDatabase(cacheDir: string, count: number): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const schema = newestMigration();
  const stem = `query-bench-${count}-corpus${CORPUS_VERSION}`;
  const file = join(cacheDir, `${stem}-${schema}.db`);
  if (existsSync(file)) return file;
  const older = readdirSync(cacheDir).find((name) => name.startsWith(`${stem}-`) && name.endsWith('.db'));
  if (older) {
    console.error(`migrating the cached ${older} to ${schema}`);
    renameSync(join(cacheDir, older), file);
    closeDatabase(openDatabase(file));
    return file;
  }
  buildDatabase(`${file}.building`, count);
  renameSync(`${file}.building`, file);
  return file;
}

function newestMigration(): string {
  const journal = JSON.parse(readFileSync(join(root, 'db/migrations/meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
  return journal.entries.at(-1)!.tag;
}

function buildDatabase(file: string, count: number): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const bases = loadBaseArticles(values.dir!);
  const db = openDatabase(file);
  // A throwaway build: no fsync, a large page cache. The writes themselves are the store's.
  db.$client.pragma('synchronous = OFF');
  db.$client.pragma(`cache_size = -${BUILD_CACHE_KIB}`);
  const started = performance.now();
  try {
    for (let first = 0; first < count; first += BUILD_BATCH) {
      const at = new Date();
      inWriteTransaction(db, (statements) => {
        for (let i = first; i < Math.min(count, first + BUILD_BATCH); i++) {
          const article = synthesizeArticle(bases, i, count);
          const { id } = writeArticle(statements, article, at);
          writeCrawlOutcome(statements, storedOutcome(article.url!, article.site!, article.retrievedAt!), id, at);
        }
      });
      if ((first / BUILD_BATCH) % 50 === 0) {
        const seconds = (performance.now() - started) / 1000;
        console.error(`building: ${first.toLocaleString('en')} of ${count.toLocaleString('en')} articles, ${Math.round(first / Math.max(seconds, 0.001))}/s`);
      }
    }
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    closeDatabase(db);
  }
  console.error(`built ${count.toLocaleString('en')} articles in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

function storedOutcome(url: string, site: string, fetchedAt: string) {
  return {
    url, site, status: 'stored' as const, reason: null, httpStatus: 200, error: null, attempts: 1, finalUrl: url,
    etag: null, lastModified: null, contentHash: null, fetchMs: 120, fetchedAt, nextFetchAt: null,
  };
}
