/**
 * Publication-date benchmark: `npm run bench:dates`.
 *
 * Reads the pages of ../shared/benchmarks/dates (never copied into the project), runs
 * findPublicationDates on each, and scores the original publication day the way that
 * directory's README says (upstream htmldate tests/evaluation.py). htmldate 1.10.0's fast and
 * extensive results on the same pages are printed beside ours.
 *
 * htmldate was given no URL, so our main row is computed without the URL too; a second row
 * gives the URL, as the pipeline does. Options: `--verbose` lists every miss, `--candidates ID`
 * prints every candidate found on one page (no URL), `--dir DIR`
 * points at another copy of the benchmark (for example the held-out set).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as cheerio from 'cheerio';
import { decodeBuffer } from 'encoding-sniffer';
import { collectDateCandidates, findPublicationDates } from '../src/normalize/publication-date.ts';
import { SHARED_DIR } from './shared-dir.ts';

interface Row {
  id: string;
  file: string;
  url: string;
  expected_date: string | null;
  alt_date?: string;
}

interface Baseline {
  id: string;
  fast: string | null;
  extensive: string | null;
}

interface Score {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

const args = process.argv.slice(2);
const dirArg = args.indexOf('--dir');
const BENCH_DIR = resolve(dirArg >= 0 ? (args[dirArg + 1] ?? '') : resolve(SHARED_DIR, 'benchmarks/dates'));
const VERBOSE = args.includes('--verbose');
const candidatesArg = args.indexOf('--candidates');
/** `--candidates ID`: print every candidate found on one page (no URL), then stop. */
const CANDIDATES_ID = candidatesArg >= 0 ? (args[candidatesArg + 1] ?? '') : null;

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** UTF-8 when valid; otherwise the meta charset (or windows-1252), as upstream does. */
function decodePage(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return decodeBuffer(bytes, { defaultEncoding: 'windows-1252' });
  }
}

/** Upstream scoring: a null answer on a null label counts as tn and as fn. */
function score(s: Score, expected: string | null, got: string | null): void {
  if (got === null) {
    s.fn += 1;
    if (expected === null) s.tn += 1;
  } else if (got === expected) s.tp += 1;
  else s.fp += 1;
}

function metrics(s: Score): { precision: number; recall: number; accuracy: number; f1: number } {
  const precision = s.tp / (s.tp + s.fp || 1);
  const recall = s.tp / (s.tp + s.fn || 1);
  const accuracy = (s.tp + s.tn) / (s.tp + s.tn + s.fp + s.fn || 1);
  const f1 = (2 * s.tp) / (2 * s.tp + s.fp + s.fn || 1);
  return { precision, recall, accuracy, f1 };
}

function formatRow(name: string, s: Score, pagesPerSecond: string): string {
  const m = metrics(s);
  const cells = [
    name.padEnd(34),
    String(s.tp).padStart(4),
    String(s.fp).padStart(4),
    String(s.fn).padStart(4),
    String(s.tn).padStart(4),
    m.precision.toFixed(3).padStart(9),
    m.recall.toFixed(3).padStart(7),
    m.accuracy.toFixed(3).padStart(8),
    m.f1.toFixed(3).padStart(6),
    pagesPerSecond.padStart(8),
  ];
  return cells.join(' ');
}

function printCandidates(rows: readonly Row[], id: string, now: Date): void {
  const row = rows.find((r) => r.id.startsWith(id));
  if (!row) throw new Error(`no page ${id}`);
  const $ = parsePage(decodePage(readFileSync(join(BENCH_DIR, row.file))));
  const found = collectDateCandidates($, { now });
  console.log(`${row.id} expected ${row.expected_date ?? 'null'}  ${row.url}`);
  console.log(`chosen: ${findPublicationDates($, { now }).published?.value ?? 'null'}`);
  for (const key of ['published', 'modified'] as const) {
    console.log(`${key}:`);
    for (const c of [...found[key]].sort((a, b) => a.rank - b.rank || b.score - a.score)) {
      console.log(`  rank ${c.rank} score ${c.score} order ${c.order}  ${c.date.value}  ${JSON.stringify(c.date.raw)}`);
    }
  }
}

/** The parser the extractor uses (htmlparser2 through cheerio), so the speed is the pipeline's. */
function parsePage(html: string) {
  return cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true } });
}

function main(): void {
  const rows = readJsonl<Row>(join(BENCH_DIR, 'dates.jsonl'));
  const baseline = new Map(readJsonl<Baseline>(join(BENCH_DIR, 'htmldate-1.10.0-baseline.jsonl')).map((b) => [b.id, b]));
  const now = new Date();
  if (CANDIDATES_ID !== null) {
    printCandidates(rows, CANDIDATES_ID, now);
    return;
  }
  const pages = rows.map((r) => ({ row: r, html: decodePage(readFileSync(join(BENCH_DIR, r.file))) }));

  const withoutUrl: Score = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const withUrl: Score = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const fast: Score = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const extensive: Score = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const misses: string[] = [];

  // Timed run: parse + find, no URL (what htmldate was given).
  const started = process.hrtime.bigint();
  const answers = pages.map(({ html }) => {
    const $ = parsePage(html);
    return findPublicationDates($, { now }).published;
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  pages.forEach(({ row, html }, i) => {
    const got = answers[i]?.value.slice(0, 10) ?? null;
    score(withoutUrl, row.expected_date, got);
    if (got !== row.expected_date) {
      misses.push(`${row.id}  expected ${row.expected_date ?? 'null'}  got ${got ?? 'null'}  (${answers[i]?.raw ?? ''})  ${row.url}`);
    }
    const $ = parsePage(html);
    const withUrlAnswer = findPublicationDates($, { now, url: row.url }).published;
    score(withUrl, row.expected_date, withUrlAnswer?.value.slice(0, 10) ?? null);
    const b = baseline.get(row.id);
    score(fast, row.expected_date, b?.fast ?? null);
    score(extensive, row.expected_date, b?.extensive ?? null);
  });

  const header = [
    'tool'.padEnd(34), '  tp', '  fp', '  fn', '  tn', 'precision', ' recall', 'accuracy', '    F1', 'pages/s',
  ].join(' ');
  console.log(`Publication dates, ${rows.length} pages from ${BENCH_DIR}`);
  console.log('Scored by day as in the benchmark README (null on a null label counts as tn and fn).\n');
  console.log(header);
  console.log(formatRow('ours (no URL, as htmldate)', withoutUrl, (rows.length / seconds).toFixed(0)));
  console.log(formatRow('ours (with the page URL)', withUrl, '-'));
  console.log(formatRow('htmldate 1.10.0 fast', fast, '-'));
  console.log(formatRow('htmldate 1.10.0 extensive', extensive, '-'));
  console.log(`\npages/s: cheerio (htmlparser2) parse + findPublicationDates, one core, ${seconds.toFixed(2)} s in all.`);
  if (VERBOSE) {
    console.log(`\nMisses without the URL (${misses.length}):`);
    for (const m of misses) console.log(`  ${m}`);
  }
}

main();
