/**
 * The extraction-only rate of `npm run bench:pipeline`: the benchmark pages decoded and
 * extracted as a fetch worker does, one after another on one thread, no network, no queue.
 *
 *   node dist/bench/pipeline/extract-only.js DIR PAGES
 *
 * Prints one JSON line of figures (see ChildFigures in figures.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractArticle } from '../../src/extract/index.ts';
import { decodeHtml } from '../../src/fetch/charset.ts';
import { writeChildFigures } from './figures.ts';

const [dir, count] = process.argv.slice(2);
const files = readdirSync(dir!).filter((name) => name.endsWith('.html')).sort();
const bodies = files.map((name) => readFileSync(join(dir!, name)));
const total = Number(count);
const started = performance.now();
const latencies: number[] = [];
let empty = 0;
for (let i = 0; i < total; i++) {
  const begun = performance.now();
  const html = decodeHtml(bodies[i % bodies.length]!, 'text/html; charset=utf-8').text;
  const retrievedAt = new Date();
  const { article } = extractArticle(html, {
    url: `http://127.0.0.1/${files[i % files.length]}?v=${i}`,
    retrievedAt: retrievedAt.toISOString(),
    profiles: [],
    now: retrievedAt,
  });
  if (article.text === '') empty += 1;
  latencies.push(performance.now() - begun);
}
const seconds = (performance.now() - started) / 1000;
writeChildFigures(total - empty, seconds, latencies);
