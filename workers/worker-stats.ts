/**
 * Crawl statistics of one worker process, like Scrapy's periodic "Crawled N pages (at N
 * pages/min)" and its end-of-run stats dump: pages fetched, stored, unchanged, failed by reason,
 * retries, and the rate. Counted from the workers' own events, so the job handlers are not
 * touched: a store worker reports what was recorded in crawl_state; a fetch-only process
 * reports what its fetches came to.
 */
import type { Job, Worker } from 'bullmq';
import { FETCH_QUEUE, STORE_QUEUE, type StoreJobData } from '../src/queue/job-data.ts';

export interface WorkerStatsSnapshot {
  /** Pages whose fetch came to a final outcome (stored, unchanged or failed). */
  fetched: number;
  stored: number;
  unchanged: number;
  failed: number;
  failedByReason: Record<string, number>;
  /** Attempts that failed with a transient fault and were scheduled again. */
  retried: number;
  /** Milliseconds since the statistics started. */
  elapsedMs: number;
  /** Over the whole run. */
  pagesPerMinute: number;
}

/** A fetch job's error names its reason first ("http-404: Not Found"). */
const REASON_PREFIX = /^([a-z0-9-]+):/;

export class WorkerStats {
  private counts = { stored: 0, unchanged: 0, failed: 0, retried: 0 };
  private readonly failedByReason = new Map<string, number>();
  private readonly startedAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  /** A URL's attempt came to an outcome (what crawl_state records). */
  record(status: 'stored' | 'unchanged' | 'failed' | 'retrying', reason: string | null): void {
    if (status === 'retrying') {
      this.counts.retried += 1;
      return;
    }
    this.counts[status] += 1;
    if (status === 'failed') {
      const key = reason ?? 'unknown';
      this.failedByReason.set(key, (this.failedByReason.get(key) ?? 0) + 1);
    }
  }

  snapshot(): WorkerStatsSnapshot {
    const elapsedMs = Math.max(1, this.now() - this.startedAt);
    const fetched = this.counts.stored + this.counts.unchanged + this.counts.failed;
    return {
      fetched,
      ...this.counts,
      failedByReason: Object.fromEntries([...this.failedByReason].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
      elapsedMs,
      pagesPerMinute: Math.round((fetched / elapsedMs) * 60_000 * 10) / 10,
    };
  }
}

/** Where a `--role all` process's own results are stored without a store job (store-worker.ts, LocalStore). */
export interface LocallyStored {
  onStored(listener: (data: StoreJobData, result: string) => void): void;
}

/**
 * Count the outcomes of the process's workers. With a store worker, its recorded outcomes are
 * the truth (store jobs, and in `--role all` the results stored without one, `local`); a
 * fetch-only process counts its own fetches' results.
 */
export function attachWorkerStats(stats: WorkerStats, workers: readonly Worker[], local: LocallyStored | null = null): void {
  const store = workers.find((worker) => worker.name === STORE_QUEUE);
  const fetch = workers.find((worker) => worker.name === FETCH_QUEUE);
  if (store) {
    const count = ({ outcome }: StoreJobData, result: unknown) => {
      if (result === 'inserted' || result === 'updated') stats.record('stored', null);
      else if (result === 'unchanged') stats.record('unchanged', null);
      else stats.record(outcome.status, outcome.reason);
    };
    store.on('completed', (job: Job<StoreJobData>, result: unknown) => count(job.data, result));
    local?.onStored(count);
    return;
  }
  if (!fetch) return;
  fetch.on('completed', (_job: Job, result: unknown) => {
    if (result === 'stored' || result === 'unchanged') stats.record(result, null);
    else if (result === 'failed') stats.record('failed', 'no-content');
  });
  fetch.on('failed', (job: Job | undefined, error: Error) => {
    if (!job || error.name === 'DelayedError') return;
    const reason = REASON_PREFIX.exec(error.message)?.[1] ?? null;
    const final = error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    stats.record(final ? 'failed' : 'retrying', reason);
  });
}

/** "fetched 120 (stored 100, unchanged 12, failed 8: http-404 5, timeout 3), 34.5 pages/min". */
export function describeStats(s: WorkerStatsSnapshot): string {
  const reasons = Object.entries(s.failedByReason).map(([reason, n]) => `${reason} ${n}`).join(', ');
  const failed = s.failed === 0 ? 'failed 0' : `failed ${s.failed}: ${reasons}`;
  const retried = s.retried > 0 ? `, ${s.retried} retries` : '';
  return `fetched ${s.fetched} (stored ${s.stored}, unchanged ${s.unchanged}, ${failed})${retried}, ${s.pagesPerMinute} pages/min`;
}
