/**
 * The ceiling of `npm run bench:pipeline`: the same URLs fetched with undici and nothing else
 * (bodies read and dropped), a fixed number of requests in flight.
 *
 *   node dist/bench/pipeline/plain-fetch.js URL_FILE IN_FLIGHT
 *
 * Prints one JSON line of figures (see ChildFigures in figures.ts).
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { writeChildFigures } from './figures.ts';

const [urlFile, inFlight] = process.argv.slice(2);
const urls = readFileSync(urlFile!, 'utf8').split('\n').filter(Boolean);
const started = performance.now();
const dispatcher = new Agent({ connections: Number(inFlight) });
const latencies: number[] = [];
let next = 0;
let failed = 0;

async function fetchLoop(): Promise<void> {
  while (next < urls.length) {
    const url = urls[next++]!;
    const begun = performance.now();
    const response = await request(url, { dispatcher });
    await response.body.arrayBuffer();
    if (response.statusCode !== 200) failed += 1;
    latencies.push(performance.now() - begun);
  }
}

await Promise.all(Array.from({ length: Number(inFlight) }, fetchLoop));
const seconds = (performance.now() - started) / 1000;
await dispatcher.close();
writeChildFigures(urls.length - failed, seconds, latencies);
