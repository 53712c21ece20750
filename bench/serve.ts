/**
 * HTTP read API under load: a 100,000-article database (synthetic articles on 10 sites, a tenth
 * of them Persian), `ingest serve` on loopback, autocannon on /api/articles (first page, a
 * filtered page, a page deep behind a cursor) and /api/search (a common and a rare word), each
 * for a bounded time. Prints requests per second and p95 latency, and exits non-zero below the
 * floors pinned in bench/serve-floors.json. No peer figure: the crawlers we compare with serve
 * no HTTP API.
 *
 *   npm run bench:serve [-- --articles 100000] [--seconds 10] [--connections 10] [--database PATH]
 *
 * --database keeps the built database at PATH (and reuses it when it exists) between runs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { closeDatabase, openDatabase } from '../db/client.ts';
import { parseConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { startServer } from '../src/serve/server.ts';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    database: { type: 'string' },
  },
});
const ARTICLES = Number(values.articles);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);

interface Floors {
  [endpoint: string]: { minRequestsPerSecond: number; maxP95Ms: number };
}
const FLOORS = JSON.parse(readFileSync(new URL('../../bench/serve-floors.json', import.meta.url), 'utf8')) as Floors;

/** A deterministic pseudo-random sequence (mulberry32), so every run builds the same database. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ENGLISH_TOPICS = 'oil exports ministry government minister election parliament budget market trade sanctions talks nuclear court report city water drought football league festival film museum university students bank currency inflation president province airport railway hospital doctors farmers wheat rain border agreement meeting week said officials'.split(' ');
const PERSIAN_TOPICS = 'نفت صادرات وزارت دولت وزیر انتخابات مجلس بودجه بازار تجارت تحریم مذاکرات دادگاه گزارش شهر آب خشکسالی فوتبال جشنواره فیلم دانشگاه بانک ارز تورم رئیس استان فرودگاه بیمارستان کشاورزان گندم باران مرز توافق نشست هفته'.split(' ');
/** A word in one article in ten thousand: the search of something specific. */
const RARE_WORD = 'zeppelin';
/**
 * Words drawn with Zipf's law (s = 1) over a vocabulary of this size, as words are in news
 * text: a few very frequent, a long tail. The topic words sit at ranks 40 to 80, so a topic
 * word is in about one article in six and two of them together in a few per cent, like
 * "oil exports" in a news archive.
 */
const VOCABULARY_SIZE = 5_000;
const TOPIC_FIRST_RANK = 40;

function vocabulary(topics: readonly string[], syllables: readonly string[], next: () => number): string[] {
  const words = new Set<string>();
  while (words.size < VOCABULARY_SIZE - topics.length) {
    const length = 2 + Math.floor(next() * 3);
    words.add(Array.from({ length }, () => syllables[Math.floor(next() * syllables.length)]!).join(''));
  }
  const list = [...words];
  topics.forEach((topic, i) => list.splice(TOPIC_FIRST_RANK + i, 0, topic));
  return list;
}

function zipfSampler(size: number, next: () => number): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= size; rank++) cumulative.push((total += 1 / rank));
  return () => {
    const target = next() * total;
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

function buildDatabase(path: string): void {
  const db = openDatabase(path);
  const next = random(42);
  const english = vocabulary(ENGLISH_TOPICS, ['ka', 'to', 're', 'mi', 'lon', 'sta', 'ber', 'gu', 'vi', 'dal', 'en', 'or'], next);
  const persian = vocabulary(PERSIAN_TOPICS, ['با', 'ر', 'ن', 'مه', 'دا', 'س', 'تو', 'کی', 'لو', 'زا', 'پر', 'گا'], next);
  const rank = zipfSampler(VOCABULARY_SIZE, next);
  const insert = db.$client.prepare(
    `insert into articles (article_key, url, canonical_url, site, title, authors, description, published_at, published_precision,
       published_at_utc, published_at_raw, modified_at, retrieved_at, story_code, credit, language, text, word_count, content_hash,
       extractor, created_at, updated_at)
     values (?, ?, ?, ?, ?, '[]', null, ?, ?, ?, null, null, ?, ?, null, ?, ?, ?, ?, 'bench@1', ?, ?)`,
  );
  const start = Date.parse('2024-01-01T00:00:00Z');
  db.$client.transaction(() => {
    for (let i = 0; i < ARTICLES; i++) {
      const isPersian = i % 10 === 0;
      const words = isPersian ? persian : english;
      const site = isPersian ? 'irna.ir' : `site${i % 9}.example`;
      const paragraphs = Array.from({ length: 4 }, () => Array.from({ length: 30 }, () => words[rank()]!).join(' ') + '.');
      if (i % 10_000 === 7) paragraphs.push(`A ${RARE_WORD} was seen.`);
      const text = paragraphs.join('\n\n');
      const title = Array.from({ length: 6 }, () => words[rank()]!).join(' ');
      const instant = new Date(start + Math.floor(next() * 730 * 86_400_000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const dayOnly = i % 50 === 3;
      const url = `https://${site}/news/${i}`;
      insert.run(`${site}#${i}`, url, url, site, title, dayOnly ? instant.slice(0, 10) : instant, dayOnly ? 'day' : 'second', dayOnly ? null : instant, instant, String(i), isPersian ? 'fa' : 'en', text, 120, `h${i}`, instant, instant);
    }
  })();
  db.$client.pragma('optimize');
  closeDatabase(db);
}

interface Measured {
  endpoint: string;
  path: string;
  requestsPerSecond: number;
  p95Ms: number;
  non2xx: number;
}

async function measure(endpoint: string, origin: string, path: string): Promise<Measured> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: `${origin}${path}`, connections: CONNECTIONS, duration: SECONDS }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  const p95 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.95))] ?? Number.NaN;
  return { endpoint, path, requestsPerSecond: result.requests.average, p95Ms: p95, non2xx: result.non2xx + result.errors };
}

const dir = mkdtempSync(join(tmpdir(), 'ingest-bench-serve-'));
let failed = false;
try {
  const databasePath = values.database ?? join(dir, 'articles.db');
  const built = performance.now();
  const reused = existsSync(databasePath);
  if (!reused) buildDatabase(databasePath);
  console.log(`serve benchmark: ${ARTICLES} articles ${reused ? `reused from ${databasePath}` : `built in ${((performance.now() - built) / 1000).toFixed(1)} s`}; autocannon ${CONNECTIONS} connections, ${SECONDS} s per endpoint, loopback`);
  const config = parseConfig({ REDIS_URL: process.env['REDIS_URL'], DATABASE_PATH: databasePath, QUEUE_PREFIX: `bench-serve-${process.pid}` });
  const server = await startServer({ config, host: '127.0.0.1', port: 0, logger: silentLogger });
  try {
    // A cursor 50 pages deep: keyset pagination should cost the same as the first page.
    let deep = '/api/articles?limit=20';
    for (let page = 0; page < 50; page++) deep = ((await (await fetch(`${server.url}${deep}`)).json()) as { next: string }).next;
    const runs: Array<[string, string]> = [
      ['articles', '/api/articles'],
      ['articles-site', '/api/articles?site=site3.example&language=en'],
      ['articles-deep-cursor', deep],
      ['search-common', '/api/search?q=oil%20exports'],
      ['search-rare', `/api/search?q=${RARE_WORD}`],
    ];
    console.log('endpoint               req/s     p95 ms   floor req/s  ceiling p95 ms');
    for (const [endpoint, path] of runs) {
      const m = await measure(endpoint, server.url, path);
      const floor = FLOORS[endpoint];
      const ok = !!floor && m.non2xx === 0 && m.requestsPerSecond >= floor.minRequestsPerSecond && m.p95Ms <= floor.maxP95Ms;
      failed ||= !ok;
      console.log(
        `${endpoint.padEnd(22)} ${m.requestsPerSecond.toFixed(0).padStart(6)} ${m.p95Ms.toFixed(1).padStart(10)} ${String(floor?.minRequestsPerSecond ?? '?').padStart(12)} ${String(floor?.maxP95Ms ?? '?').padStart(15)}${ok ? '' : '  BELOW FLOOR'}${m.non2xx ? ` (${m.non2xx} errors)` : ''}`,
      );
    }
  } finally {
    await server.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
