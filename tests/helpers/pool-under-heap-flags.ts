/**
 * Child-process entry for the extraction pool's test of process-wide heap flags: run with
 * `--max-old-space-size` and `--max-semi-space-size` (as the bin runs a worker), it starts a
 * pool whose threads get a small memory budget (the argument, MB), gives it a page that needs
 * more, and prints one JSON line: the main thread's heap limit and how the page ended.
 */
import { getHeapStatistics } from 'node:v8';
import { silentLogger } from '../../src/log.ts';
import { ExtractionPool } from '../../workers/extraction-pool.ts';
import { LONG_TEXT_PAGE } from './heavy-page.ts';

const memoryMb = Number(process.argv[2]);

const pool = new ExtractionPool({ threads: 1, timeoutMs: 60_000, memoryMb, logger: silentLogger });
let outcome: string;
try {
  await pool.ready;
  const result = await pool.extract(LONG_TEXT_PAGE, { url: 'https://theiranproject.com/vdcjhhe8auqemaz.92fu.html', retrievedAt: '2024-05-01T10:00:00Z', now: new Date('2024-05-01T10:00:00Z') });
  outcome = `extracted ${result.article.text.length} characters`;
} catch (error) {
  outcome = (error as Error).message;
} finally {
  await pool.close();
}
console.log(JSON.stringify({ mainHeapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024), outcome }));
