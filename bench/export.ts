/**
 * Export throughput and memory: a 100,000-article database generated in a temporary folder,
 * exported by `ingest export --format json` (the compiled bin, as users run it) and by
 * `sqlite3 -json` with the same columns in the same order, each timed and its peak RSS taken.
 * Prints both side by side and exits 1 when ingest is slower than the pinned ratio to sqlite3
 * or peaks above the pinned memory (bench/export-floors.json; never loosen them). Needs the
 * sqlite3 command-line shell (`apt-get install -y sqlite3`): without it, says so and exits 2.
 *
 *   npm run bench:export [-- --articles 100000] [--keep]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { closeDatabase, openDatabase } from '../db/client.ts';
import { ARTICLE_FIELDS } from '../src/store/article-query.ts';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const FLOORS = JSON.parse(readFileSync(join(ROOT, 'bench/export-floors.json'), 'utf8')) as {
  articles: number;
  maxTimeRatioToSqlite3: number;
  maxPeakRssMb: number;
};

const { values } = parseArgs({ options: { articles: { type: 'string', default: String(FLOORS.articles) }, keep: { type: 'boolean', default: false } } });
const ARTICLES = Number(values.articles);

/** How often a child's peak RSS (VmHWM) is read when GNU time is not there to report it. */
const RSS_POLL_MS = 10;

/** Words of the generated bodies: Latin and Persian, so JSON escaping and UTF-8 are exercised. */
const WORDS = ('the committee met on tuesday and discussed budget roads schools water prices minister said agency reported ' +
  'تهران وزیر گفت خبرگزاری جلسه بودجه مدارس آب قیمت').split(' ');

/** Paragraphs per article and words per paragraph: about 3,000 characters, a typical news story. */
const PARAGRAPHS = 5;
const WORDS_PER_PARAGRAPH = 90;

if (spawnSync('sqlite3', ['-version']).error) {
  console.error('bench:export needs the sqlite3 command-line shell to compare with: install it (apt-get install -y sqlite3) and run again.');
  process.exit(2);
}
const bin = join(ROOT, 'bin/ingest.js');
const dir = mkdtempSync(join(tmpdir(), 'ingest-bench-export-'));
const dbPath = join(dir, 'articles.db');

console.log(`export benchmark: ${ARTICLES} articles in ${dbPath}`);
const generateStarted = Date.now();
generateDatabase(dbPath, ARTICLES);
console.log(`generated in ${((Date.now() - generateStarted) / 1000).toFixed(1)} s, database ${(statSync(dbPath).size / 1e6).toFixed(0)} MB`);

// The same columns and order as `ingest export` (src/store/article-query.ts).
const COLUMNS: Record<string, string> = {
  id: 'id', url: 'url', canonicalUrl: 'canonical_url', site: 'site', title: 'title', authors: 'authors', description: 'description',
  publishedAt: 'published_at', publishedPrecision: 'published_precision', publishedAtUtc: 'published_at_utc', publishedAtRaw: 'published_at_raw',
  modifiedAt: 'modified_at', retrievedAt: 'retrieved_at', storyCode: 'story_code', credit: 'credit', language: 'language', text: 'text',
  wordCount: 'word_count', contentHash: 'content_hash', extractor: 'extractor', storedAt: 'created_at', updatedAt: 'updated_at',
};
const select = ARTICLE_FIELDS.map((field) => `${COLUMNS[field]} as "${field}"`).join(', ');
const order = `coalesce(published_at_utc, case when length(published_at) = 10 then published_at || 'T00:00:00Z' else substr(published_at, 1, 19) || 'Z' end) desc, id desc`;

const ingestOut = join(dir, 'ingest.json');
const sqliteOut = join(dir, 'sqlite3.json');
const ingest = await measure(process.execPath, [bin, 'export', '--format', 'json', '-o', ingestOut], { DATABASE_PATH: dbPath, LOG_LEVEL: 'warn' });
const sqlite = await measure('sqlite3', ['-json', '-readonly', dbPath, `select ${select} from articles order by ${order}`], {}, sqliteOut);

const ingestRows = countJsonRows(ingestOut);
const sqliteRows = countJsonRows(sqliteOut);
const ratio = ingest.seconds / sqlite.seconds;
const row = (name: string, m: Measured, rows: number, file: string) =>
  `${name.padEnd(10)} ${m.seconds.toFixed(2).padStart(7)} s ${String(Math.round(m.peakRssMb)).padStart(6)} MB peak RSS ${String(rows).padStart(8)} rows ${(statSync(file).size / 1e6).toFixed(0).padStart(6)} MB out`;
console.log('');
console.log(`${'tool'.padEnd(10)} ${'time'.padStart(9)} ${'memory'.padStart(17)} ${'rows'.padStart(13)} ${'output'.padStart(9)}`);
console.log(row('ingest', ingest, ingestRows, ingestOut));
console.log(row('sqlite3', sqlite, sqliteRows, sqliteOut));
console.log(`ratio ${ratio.toFixed(2)}x sqlite3's time (floor: at most ${FLOORS.maxTimeRatioToSqlite3}x); peak ${Math.round(ingest.peakRssMb)} MB (floor: at most ${FLOORS.maxPeakRssMb} MB)`);
if (!values.keep) rmSync(dir, { recursive: true, force: true });

const failures: string[] = [];
if (ingest.exitCode !== 0) failures.push(`ingest export exited ${ingest.exitCode}`);
if (ingestRows !== ARTICLES) failures.push(`ingest exported ${ingestRows} rows, not ${ARTICLES}`);
if (ratio > FLOORS.maxTimeRatioToSqlite3) failures.push(`ingest took ${ratio.toFixed(2)}x sqlite3's time`);
if (ingest.peakRssMb > FLOORS.maxPeakRssMb) failures.push(`ingest peaked at ${Math.round(ingest.peakRssMb)} MB`);
if (failures.length > 0) {
  console.error(`FAIL: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('PASS');

interface Measured {
  seconds: number;
  peakRssMb: number;
  exitCode: number | null;
}

/** Run a command to completion, its stdout to a file if given; wall time and peak RSS (VmHWM). */
async function measure(command: string, args: string[], env: Record<string, string>, stdoutFile?: string): Promise<Measured> {
  const { openSync, closeSync } = await import('node:fs');
  const out = stdoutFile ? openSync(stdoutFile, 'w') : 'ignore';
  const started = performance.now();
  const child = spawn(command, args, { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', out, 'inherit'] });
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // The process has just exited.
    }
  }, RSS_POLL_MS);
  const exitCode = await new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  clearInterval(poll);
  if (typeof out === 'number') closeSync(out);
  return { seconds: (performance.now() - started) / 1000, peakRssMb: peakKb / 1024, exitCode };
}

/** Rows of a JSON array written one record per line (both tools do), checked at both ends. */
function countJsonRows(file: string): number {
  const text = readFileSync(file, 'utf8');
  // sqlite3 opens the array on the first record's line and closes it on the last one's.
  const lines = text.split('\n').map((line) => line.replace(/^\[/, '')).filter((line) => line.startsWith('{'));
  if (lines.length > 0) {
    JSON.parse(lines[0]!.replace(/[,\]]+$/, ''));
    JSON.parse(lines.at(-1)!.replace(/[,\]]+$/, ''));
  }
  return lines.length;
}

function generateDatabase(path: string, count: number): void {
  const db = openDatabase(path);
  let seed = 1;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const word = () => WORDS[Math.floor(random() * WORDS.length)]!;
  const insert = db.$client.prepare(`insert into articles (article_key, url, canonical_url, site, title, authors, description, published_at,
    published_precision, published_at_utc, published_at_raw, retrieved_at, story_code, credit, language, text, word_count, content_hash,
    extractor, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'minute', ?, ?, ?, ?, 'FNA', ?, ?, ?, ?, 'bench@1', ?, ?)`);
  const insertAll = db.$client.transaction(() => {
    for (let i = 0; i < count; i++) {
      const site = `site${i % 50}.example`;
      const url = `https://${site}/news/${i}.html`;
      const when = new Date(Date.UTC(2020, 0, 1) + i * 600_000).toISOString().replace('.000Z', 'Z');
      const paragraphs = Array.from({ length: PARAGRAPHS }, () => Array.from({ length: WORDS_PER_PARAGRAPH }, word).join(' ') + '.');
      const text = paragraphs.join('\n\n');
      const title = `${word()} ${word()} ${word()} "${word()}" ${i}`;
      insert.run(`${site}#${i}`, url, url, site, title, JSON.stringify([`Reporter ${i % 97}`]), paragraphs[0]!.slice(0, 160), when, when, when,
        when, String(100000 + i), i % 3 === 0 ? 'fa' : 'en', text, PARAGRAPHS * WORDS_PER_PARAGRAPH, (i * 2654435761).toString(16).padStart(64, '0'), when, when);
    }
  });
  insertAll();
  closeDatabase(db);
}
