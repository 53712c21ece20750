/**
 * Extraction benchmark: `npm run bench:extract [-- --worst N] [--only ours]`.
 *
 * Reads the DEV pages of ../shared/benchmarks/article-extraction (never copied into the project),
 * extracts each with our extractor and with @mozilla/readability on linkedom, and prints
 * precision, recall and F1 with the benchmark's metric (its README: Unicode \w+ tokens, 4-token
 * shingles, per-page tp/fp/fn normalised to sum 1, P and R the means of per-page precision and
 * recall, F1 of the two means) and pages per second, side by side, in the same run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { extractArticle } from '../src/extract/index.ts';

const BENCHMARK_DIR = resolve(import.meta.dirname, '../../shared/benchmarks/article-extraction');
const SHINGLE_SIZE = 4;
/** Untimed passes first, so both extractors are measured with warm JIT; then timed passes, the fastest of which counts. */
const WARMUP_PASSES = 1;
const TIMED_PASSES = 3;

interface Page { id: string; html: string; url: string; truth: string }
interface PageScore { id: string; precision: number | null; recall: number | null }
interface Extractor { name: string; run: (page: Page) => string }

function args(): { worst: number; only: string | null } {
  const argv = process.argv.slice(2);
  const flag = (name: string): string | null => {
    const i = argv.indexOf(name);
    return i >= 0 ? (argv[i + 1] ?? null) : null;
  };
  return { worst: Number(flag('--worst') ?? 0), only: flag('--only') };
}

function loadPages(): Page[] {
  const truth = JSON.parse(readFileSync(join(BENCHMARK_DIR, 'ground-truth.json'), 'utf8')) as Record<string, { articleBody: string; url: string }>;
  return readdirSync(join(BENCHMARK_DIR, 'html'))
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((file) => {
      const id = file.replace(/\.html$/, '');
      const entry = truth[id];
      if (entry === undefined) throw new Error(`no ground truth for ${id}`);
      return { id, html: readFileSync(join(BENCHMARK_DIR, 'html', file), 'utf8'), url: entry.url, truth: entry.articleBody };
    });
}

// ─── The benchmark's metric ─────────────────────────────────────────────────────────────────

/** Python's `\w+` with re.UNICODE: letters, digits (all numeric), underscore. */
const TOKEN = /[\p{L}\p{N}_]+/gu;

function shingles(text: string): Map<string, number> {
  const tokens = text.match(TOKEN) ?? [];
  const counts = new Map<string, number>();
  const n = Math.max(1, tokens.length - SHINGLE_SIZE + 1);
  for (let i = 0; i < n; i++) {
    const shingle = tokens.slice(i, i + SHINGLE_SIZE).join(' ');
    if (shingle !== '') counts.set(shingle, (counts.get(shingle) ?? 0) + 1);
  }
  return counts;
}

/** Per-page tp, fp, fn, normalised to sum 1. */
function shingleMatch(truth: string, predicted: string): [number, number, number] {
  const t = shingles(truth);
  const p = shingles(predicted);
  let tp = 0, fp = 0, fn = 0;
  for (const key of new Set([...t.keys(), ...p.keys()])) {
    const tc = t.get(key) ?? 0;
    const pc = p.get(key) ?? 0;
    tp += Math.min(tc, pc);
    fp += Math.max(0, pc - tc);
    fn += Math.max(0, tc - pc);
  }
  const sum = tp + fp + fn;
  return sum > 0 ? [tp / sum, fp / sum, fn / sum] : [0, 0, 0];
}

function scorePage(id: string, truth: string, predicted: string): PageScore {
  const [tp, fp, fn] = shingleMatch(truth, predicted);
  return { id, precision: tp + fp > 0 ? tp / (tp + fp) : null, recall: tp + fn > 0 ? tp / (tp + fn) : null };
}

function mean(values: readonly (number | null)[]): number {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length === 0 ? 0 : defined.reduce((a, b) => a + b, 0) / defined.length;
}

// ─── Extractors ─────────────────────────────────────────────────────────────────────────────

const OURS: Extractor = { name: 'ours (cheerio)', run: (page) => extractArticle(page.html, { url: page.url }).article.text };

const READABILITY: Extractor = {
  name: 'readability+linkedom',
  run: (page) => {
    const { document } = parseHTML(page.html);
    return new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse()?.textContent ?? '';
  },
};

/**
 * Times each extractor over all pages, interleaving the extractors pass by pass and keeping each
 * one's fastest pass: on a shared machine, load that comes and goes then hits both alike, and the
 * minimum is the least disturbed figure.
 */
function measure(extractors: readonly Extractor[], pages: readonly Page[]): Map<Extractor, { scores: PageScore[]; pagesPerSecond: number }> {
  const best = new Map<Extractor, number>();
  const outputs = new Map<Extractor, string[]>();
  for (let pass = 0; pass < WARMUP_PASSES + TIMED_PASSES; pass++) {
    for (const extractor of extractors) {
      const start = performance.now();
      const texts = pages.map((page) => extractor.run(page));
      const seconds = (performance.now() - start) / 1000;
      outputs.set(extractor, texts);
      if (pass >= WARMUP_PASSES) best.set(extractor, Math.min(best.get(extractor) ?? Infinity, seconds));
    }
  }
  const results = new Map<Extractor, { scores: PageScore[]; pagesPerSecond: number }>();
  for (const extractor of extractors) {
    const texts = outputs.get(extractor) ?? [];
    const scores = pages.map((page, i) => scorePage(page.id, page.truth, texts[i] ?? ''));
    results.set(extractor, { scores, pagesPerSecond: pages.length / (best.get(extractor) ?? Infinity) });
  }
  return results;
}

function main(): void {
  const { worst, only } = args();
  const pages = loadPages();
  console.log(`article-extraction DEV: ${pages.length} pages from ${BENCHMARK_DIR}`);
  const extractors = [OURS, READABILITY].filter((e) => only === null || e.name.startsWith(only));
  const rows: string[] = [];
  let oursSpeed = 0;
  let readabilitySpeed = 0;
  const results = measure(extractors, pages);
  for (const extractor of extractors) {
    const { scores, pagesPerSecond } = results.get(extractor)!;
    const p = mean(scores.map((s) => s.precision));
    const r = mean(scores.map((s) => s.recall));
    const f1 = p + r > 0 ? (2 * p * r) / (p + r) : 0;
    rows.push(`${extractor.name.padEnd(22)} P ${p.toFixed(4)}  R ${r.toFixed(4)}  F1 ${f1.toFixed(4)}  ${pagesPerSecond.toFixed(1).padStart(7)} pages/s`);
    if (extractor === OURS) oursSpeed = pagesPerSecond;
    if (extractor === READABILITY) readabilitySpeed = pagesPerSecond;
    if (worst > 0) {
      const ranked = scores
        .map((s) => ({ ...s, f: s.precision === null || s.recall === null ? 0 : (2 * s.precision * s.recall) / (s.precision + s.recall || 1) }))
        .sort((a, b) => a.f - b.f)
        .slice(0, worst);
      console.log(`worst pages, ${extractor.name}:`);
      for (const s of ranked) console.log(`  ${s.id.slice(0, 12)}  P ${s.precision?.toFixed(3) ?? '  - '}  R ${s.recall?.toFixed(3) ?? '  - '}`);
    }
  }
  console.log(rows.join('\n'));
  if (oursSpeed > 0 && readabilitySpeed > 0) console.log(`speed ratio: ${(oursSpeed / readabilitySpeed).toFixed(2)}x`);
}

main();
