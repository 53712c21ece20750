/**
 * The worker's periodic stats line (every STATS_INTERVAL_MS, and at once on SIGUSR1) and its
 * final summary, written through the logger: a JSON record with every figure, or a readable
 * line with LOG_FORMAT=pretty. Queue depth comes from the queues' own counts.
 */
import type { Logger } from '../log.ts';
import type { PipelineQueues } from '../queue/queues.ts';
import { describeStats, type WorkerStats } from '../../workers/worker-stats.ts';

/** Scrapy's LogStats default: once a minute is enough to follow a crawl without noise. */
export const STATS_INTERVAL_MS = 60_000;

export interface QueueDepth {
  /** Fetch jobs waiting, delayed or running. */
  fetch: number;
  /** Store jobs waiting or running. */
  store: number;
}

export async function readQueueDepth(queues: PipelineQueues): Promise<QueueDepth> {
  const [fetch, store] = await Promise.all([
    queues.fetch.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children'),
    queues.store.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children'),
  ]);
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, n) => total + n, 0);
  return { fetch: sum(fetch), store: sum(store) };
}

export interface StatsReporter {
  /** Log the stats line now. */
  report(): Promise<void>;
  /** Stop the timer and the SIGUSR1 handler, and log the final summary. */
  stop(): Promise<void>;
}

export interface StatsReporterOptions {
  stats: WorkerStats;
  logger: Logger;
  queues: PipelineQueues;
  intervalMs?: number;
  now?: () => number;
}

export function startStatsReporter(options: StatsReporterOptions): StatsReporter {
  const { stats, logger, queues } = options;
  const now = options.now ?? Date.now;
  let last = { at: now(), fetched: 0 };
  const depth = () => readQueueDepth(queues).catch(() => null);
  const report = async () => {
    const snapshot = stats.snapshot();
    const at = now();
    // The rate of the last interval, as Scrapy prints it; the summary has the whole run's.
    const perMinute = Math.round(((snapshot.fetched - last.fetched) / Math.max(1, at - last.at)) * 60_000 * 10) / 10;
    last = { at, fetched: snapshot.fetched };
    const queue = await depth();
    const line = describeStats({ ...snapshot, pagesPerMinute: perMinute });
    const queueText = queue ? `; queue: ${queue.fetch} to fetch, ${queue.store} to store` : '';
    logger.info(`stats: ${line}${queueText}`, { ...snapshot, pagesPerMinute: perMinute, queue });
  };
  const onSignal = () => void report();
  const timer = setInterval(onSignal, options.intervalMs ?? STATS_INTERVAL_MS);
  timer.unref();
  process.on('SIGUSR1', onSignal);
  let stopped = false;
  return {
    report,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      process.off('SIGUSR1', onSignal);
      const snapshot = stats.snapshot();
      logger.info(`summary: ${describeStats(snapshot)} in ${Math.round(snapshot.elapsedMs / 1000)} s`, { ...snapshot, final: true });
    },
  };
}
