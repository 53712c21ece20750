/**
 * Articles for the database benchmarks, as many as asked: the benchmark pages (read from
 * ../shared, never copied) extracted by our extractor give the texts and titles, and each
 * synthetic article takes one of them with its own address, site, story code, language,
 * publication date (in every stored form: with an offset, a bare day, none) and a sentence of
 * its own, so every row, content hash and full-text entry is distinct. Deterministic: article i
 * is the same in every run.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Article } from '../src/article/article.ts';
import { extractArticle } from '../src/extract/index.ts';

/** Bumped whenever synthesizeArticle's output changes (it keys the cached databases). */
export const CORPUS_VERSION = 1;

/** Sites the articles spread over: a --site filter picks about 1/SITES of them. */
export const SITES = Array.from({ length: 40 }, (_, k) => `site-${k}.example`);

/** Languages in a mixed archive, with their shares (in 20ths). */
const LANGUAGES: ReadonlyArray<[string, number]> = [
  ['en', 8],
  ['en-GB', 2],
  ['en-US', 1],
  ['fa', 4],
  ['ar', 2],
  ['fr', 2],
  ['de', 1],
];
const LANGUAGE_WHEEL = LANGUAGES.flatMap(([tag, share]) => Array<string>(share).fill(tag));

/** The archive spans five years from here; article i is published about i × this step later. */
const FIRST_PUBLISHED_MS = Date.parse('2021-01-01T00:00:00Z');
const SPAN_MS = 5 * 365 * 24 * 3600 * 1000;

/** Publisher UTC offsets, in minutes. */
const OFFSETS = [0, 60, 120, 210, 270, 330, -300, -240, 540];

export interface BaseArticle {
  title: string;
  text: string;
}

/** The benchmark pages' titles and texts (pages our extractor finds no text in are skipped). */
export function loadBaseArticles(htmlDir: string): BaseArticle[] {
  const bases: BaseArticle[] = [];
  for (const name of readdirSync(htmlDir).filter((file) => file.endsWith('.html')).sort()) {
    const { article } = extractArticle(readFileSync(join(htmlDir, name), 'utf8'), { url: `https://bench.example/${name}` });
    if (article.text.length > 0) bases.push({ title: article.title ?? name, text: article.text });
  }
  if (bases.length === 0) throw new Error(`no article text in ${htmlDir}`);
  return bases;
}

/** Article i of a corpus of `total`, from the base texts. */
export function synthesizeArticle(bases: readonly BaseArticle[], i: number, total: number): Article {
  const random = mulberry32(i + 1);
  const base = bases[i % bases.length]!;
  const site = SITES[Math.floor(random() * SITES.length)]!;
  const url = `https://${site}/news/${i}`;
  const published = new Date(FIRST_PUBLISHED_MS + Math.floor((i / total) * SPAN_MS) + Math.floor(random() * 3_600_000));
  const form = random();
  const offset = OFFSETS[Math.floor(random() * OFFSETS.length)]!;
  let publishedAt: string | null = null;
  let publishedAtUtc: string | null = null;
  let publishedPrecision: Article['publishedPrecision'] = null;
  if (form < 0.75) {
    publishedAt = withOffset(published, offset);
    publishedAtUtc = `${published.toISOString().slice(0, 19)}Z`;
    publishedPrecision = 'minute';
  } else if (form < 0.95) {
    publishedAt = published.toISOString().slice(0, 10);
    publishedPrecision = 'day';
  }
  // A sentence of its own: a distinct content hash and words only this article has.
  const text = `${base.text}\n\nReport ${i} from ${site}, filed ${published.toISOString().slice(0, 10)}.`;
  const storyCode = random() < 0.5 ? String(100_000 + i) : null;
  return {
    url,
    canonicalUrl: url,
    site,
    title: `${base.title} (${i})`,
    authors: random() < 0.6 ? [`Reporter ${i % 997}`] : [],
    description: base.text.slice(0, 160),
    publishedAt,
    publishedPrecision,
    publishedAtUtc,
    publishedAtRaw: publishedAt,
    modifiedAt: null,
    retrievedAt: new Date(published.getTime() + 3_600_000).toISOString(),
    storyCode,
    credit: null,
    language: LANGUAGE_WHEEL[Math.floor(random() * LANGUAGE_WHEEL.length)]!,
    text,
    wordCount: text.split(/\s+/).filter(Boolean).length,
    contentHash: createHash('sha256').update(text).digest('hex'),
    extractor: 'generic@1',
  };
}

/** "2023-04-05T12:34:00+04:30" for the instant at the given offset in minutes. */
function withOffset(instant: Date, offsetMinutes: number): string {
  const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 16);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A small seeded generator (mulberry32): the same numbers for the same seed, in every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
