/**
 * Publication-date benchmark and gate: `npm run bench:dates`.
 *
 * Reads the 599 pages of ../shared/benchmarks/dates (never copied into the project), runs
 * findPublicationDates on each, and scores the original publication day the way that
 * directory's README says (upstream htmldate tests/evaluation.py). htmldate 1.10.0's fast and
 * extensive results on the same pages (htmldate-1.10.0-baseline.jsonl) are printed beside ours,
 * on all pages, per stratum, and on the two halves of a fixed split:
 *
 *   - `tune`: two thirds of the pages, the ones rules may be tuned on;
 *   - `check`: the other third (pages whose id, read as a number, is 2 mod 3), held out to see
 *     whether a rule tuned on `tune` holds on pages it was not tuned on. The ids are sha256
 *     prefixes of the URL, so the split is as good as random and does not depend on the order.
 *
 * Then every miss, with what htmldate answered on that page. The run exits non-zero when an F1
 * falls below its floor in bench/dates-floor.json (as trafilatura's eval_gate.py does), so CI
 * catches a regression.
 *
 * htmldate was given no URL, so the gated row is computed without the URL; a second row gives
 * the URL, as the pipeline does. Options: `--candidates ID` prints every candidate found on one
 * page (no URL); `--write-outputs FILE` writes every page's published and modified answer
 * (value and raw text) as JSON lines, to compare two versions of the code; `--dir DIR` points
 * at another copy of the benchmark (for example the held-out set; the floors are then not
 * applied, since they are pinned for this set).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as cheerio from 'cheerio';
import { decodeBuffer } from 'encoding-sniffer';
import { collectDateCandidates, findPublicationDates } from '../src/extract/dates/index.ts';
import { SHARED_DIR } from './shared-dir.ts';

interface Row {
  id: string;
  file: string;
  url: string;
  expected_date: string | null;
  stratum: string;
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

interface Floors {
  all: number;
  tune: number;
  check: number;
}

const args = process.argv.slice(2);
function argValue(name: string): string | null {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? '') : null;
}
const DEFAULT_DIR = resolve(SHARED_DIR, 'benchmarks/dates');
const BENCH_DIR = resolve(argValue('--dir') ?? DEFAULT_DIR);
/** `--candidates ID`: print every candidate found on one page (no URL), then stop. */
const CANDIDATES_ID = argValue('--candidates');
const OUTPUTS_FILE = argValue('--write-outputs');
/** Pinned in the repository, read from the project root (npm run sets the working directory). */
const FLOORS_FILE = resolve(process.cwd(), 'bench/dates-floor.json');
/** Pages whose id is this modulo {@link SPLIT_MODULUS} are the held-out `check` third. */
const SPLIT_MODULUS = 3;
const CHECK_REMAINDER = 2;

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** The `check` third is held out from tuning; the rest is `tune`. */
function splitOf(id: string): 'tune' | 'check' {
  return Number.parseInt(id.slice(0, 8), 16) % SPLIT_MODULUS === CHECK_REMAINDER ? 'check' : 'tune';
}

/** UTF-8 when valid; otherwise the meta charset (or windows-1252), as upstream does. */
function decodePage(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return decodeBuffer(bytes, { defaultEncoding: 'windows-1252' });
  }
}

const emptyScore = (): Score => ({ tp: 0, fp: 0, fn: 0, tn: 0 });

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

const HEADER = ['tool'.padEnd(34), '  tp', '  fp', '  fn', '  tn', 'precision', ' recall', 'accuracy', '    F1', 'pages/s'].join(' ');

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

/** One group of pages (all, a stratum, a split) scored for us and for both htmldate modes. */
interface Group {
  pages: number;
  ours: Score;
  withUrl: Score;
  fast: Score;
  extensive: Score;
}

function groupOf(groups: Map<string, Group>, name: string): Group {
  let g = groups.get(name);
  if (!g) {
    g = { pages: 0, ours: emptyScore(), withUrl: emptyScore(), fast: emptyScore(), extensive: emptyScore() };
    groups.set(name, g);
  }
  return g;
}

function readFloors(): Floors {
  return JSON.parse(readFileSync(FLOORS_FILE, 'utf8')) as Floors;
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

  // Timed run: parse + find, no URL (what htmldate was given).
  const started = process.hrtime.bigint();
  const answers = pages.map(({ html }) => findPublicationDates(parsePage(html), { now }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const groups = new Map<string, Group>();
  const misses: string[] = [];
  const outputs: string[] = [];
  pages.forEach(({ row, html }, i) => {
    const answer = answers[i];
    const got = answer?.published?.value.slice(0, 10) ?? null;
    const withUrl = findPublicationDates(parsePage(html), { now, url: row.url }).published?.value.slice(0, 10) ?? null;
    const b = baseline.get(row.id);
    for (const name of ['all', `stratum ${row.stratum}`, `split ${splitOf(row.id)}`]) {
      const g = groupOf(groups, name);
      g.pages += 1;
      score(g.ours, row.expected_date, got);
      score(g.withUrl, row.expected_date, withUrl);
      score(g.fast, row.expected_date, b?.fast ?? null);
      score(g.extensive, row.expected_date, b?.extensive ?? null);
    }
    if (got !== row.expected_date) {
      misses.push(
        `${row.id} ${splitOf(row.id).padEnd(5)} expected ${row.expected_date ?? 'null'}  got ${got ?? 'null'}` +
          `  htmldate fast ${b?.fast ?? 'null'} ext ${b?.extensive ?? 'null'}  (${JSON.stringify(answer?.published?.raw ?? '')})  ${row.url}`,
      );
    }
    outputs.push(JSON.stringify({
      id: row.id,
      published: answer?.published ?? null,
      modified: answer?.modified ?? null,
      publishedWithUrl: withUrl,
    }));
  });
  if (OUTPUTS_FILE !== null) writeFileSync(OUTPUTS_FILE, `${outputs.join('\n')}\n`);

  console.log(`Publication dates, ${rows.length} pages from ${BENCH_DIR}`);
  console.log('Scored by day as in the benchmark README (null on a null label counts as tn and fn).');
  console.log(`Split: "check" = pages whose id is ${CHECK_REMAINDER} mod ${SPLIT_MODULUS} (held out from tuning), "tune" = the rest.`);
  const order = ['all', ...[...groups.keys()].filter((k) => k.startsWith('stratum ')).sort(), 'split tune', 'split check'];
  for (const name of order) {
    const g = groups.get(name);
    if (!g) continue;
    console.log(`\n${name} (${g.pages} pages)`);
    console.log(HEADER);
    console.log(formatRow('ours (no URL, as htmldate)', g.ours, name === 'all' ? (rows.length / seconds).toFixed(0) : '-'));
    console.log(formatRow('ours (with the page URL)', g.withUrl, '-'));
    console.log(formatRow('htmldate 1.10.0 fast', g.fast, '-'));
    console.log(formatRow('htmldate 1.10.0 extensive', g.extensive, '-'));
  }
  console.log(`\npages/s: cheerio (htmlparser2) parse + findPublicationDates, one core, ${seconds.toFixed(2)} s in all.`);
  console.log(`\nOur misses without the URL (${misses.length}), with htmldate's answers:`);
  for (const m of misses) console.log(`  ${m}`);

  if (BENCH_DIR !== DEFAULT_DIR) {
    console.log('\nAnother benchmark directory: the floors are pinned for the default one and not applied.');
    return;
  }
  const floors = readFloors();
  const measured: Record<keyof Floors, number> = {
    all: metrics(groupOf(groups, 'all').ours).f1,
    tune: metrics(groupOf(groups, 'split tune').ours).f1,
    check: metrics(groupOf(groups, 'split check').ours).f1,
  };
  let failed = false;
  console.log(`\nFloors (${FLOORS_FILE}):`);
  for (const key of ['all', 'tune', 'check'] as const) {
    // Compared at the printed precision, so a floor pinned from a printed figure holds.
    const below = Number(measured[key].toFixed(3)) < floors[key];
    failed ||= below;
    console.log(`  F1 ${key.padEnd(5)} ${measured[key].toFixed(3)}  floor ${floors[key].toFixed(3)}  ${below ? 'BELOW THE FLOOR' : 'ok'}`);
  }
  if (failed) {
    console.error('bench:dates: F1 fell below a pinned floor (bench/dates-floor.json).');
    process.exitCode = 1;
  }
}

main();
