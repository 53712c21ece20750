/**
 * Pipeline metrics that only the workers can observe (fetch latency, extraction time, store lag,
 * politeness waits, outcomes), published to two Redis hashes so that `ingest serve` can expose
 * them on /metrics for every worker process on every machine at once. Workers add to counters
 * (HINCRBY, HINCRBYFLOAT); nothing is ever reset, so Prometheus sees monotonic counters and
 * histograms that survive worker restarts. Recording never fails a job: a Redis error is dropped.
 */
import type { RedisClient } from './redis-connection.ts';
import type { CrawlOutcome } from '../store/crawl-outcome.ts';

/**
 * Histogram bucket upper bounds, in milliseconds. Fetches: a fast page is tens of ms, the
 * timeout is 20 s. Extraction: a small page is a millisecond, a huge one near a second.
 * Store lag (fetch start to committed row): politeness delays and a busy store queue make it
 * seconds to minutes.
 */
export const FETCH_LATENCY_BUCKETS_MS = [25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 20_000] as const;
export const EXTRACTION_BUCKETS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000] as const;
export const STORE_LAG_BUCKETS_MS = [100, 500, 1_000, 5_000, 15_000, 60_000, 300_000, 900_000] as const;

export type HistogramName = 'fetch_ms' | 'extract_ms' | 'store_lag_ms';

export const HISTOGRAM_BUCKETS_MS: Record<HistogramName, readonly number[]> = {
  fetch_ms: FETCH_LATENCY_BUCKETS_MS,
  extract_ms: EXTRACTION_BUCKETS_MS,
  store_lag_ms: STORE_LAG_BUCKETS_MS,
};

export function metricsKeys(prefix: string): { counters: string; politeness: string } {
  return { counters: `${prefix}:metrics:counters`, politeness: `${prefix}:metrics:politeness` };
}

/** The hash fields one observation adds 1 to: its bucket (non-cumulative) and the count. */
function histogramFields(name: HistogramName, ms: number): { bucket: string; count: string; sum: string } {
  const bound = HISTOGRAM_BUCKETS_MS[name].find((le) => ms <= le);
  return { bucket: `${name}:le:${bound ?? '+Inf'}`, count: `${name}:count`, sum: `${name}:sum` };
}

export interface PipelineMetricsRecorder {
  /** The store worker: one attempt's outcome, as it commits it. */
  recordOutcome(outcome: CrawlOutcome, storedAt: Date): Promise<void>;
  /** The fetch worker: milliseconds one extraction took. */
  observeExtraction(ms: number): Promise<void>;
  /** The fetch worker: a job had to wait this long for a politeness slot of `host`. */
  observePolitenessWait(host: string, ms: number): Promise<void>;
}

export function createPipelineMetricsRecorder(redis: RedisClient, prefix: string): PipelineMetricsRecorder {
  const keys = metricsKeys(prefix);
  const observe = (multi: ReturnType<RedisClient['multi']>, name: HistogramName, ms: number) => {
    const fields = histogramFields(name, ms);
    multi.hincrby(keys.counters, fields.bucket, 1).hincrby(keys.counters, fields.count, 1).hincrbyfloat(keys.counters, fields.sum, ms);
  };
  const send = async (multi: ReturnType<RedisClient['multi']>) => {
    await multi.exec().catch(() => undefined);
  };
  return {
    async recordOutcome(outcome, storedAt) {
      const multi = redis.multi();
      const field = outcome.status === 'stored' || outcome.status === 'unchanged' ? outcome.status : `${outcome.status}:${outcome.reason ?? 'unknown'}`;
      multi.hincrby(keys.counters, `outcome:${field}`, 1);
      if (outcome.fetchMs !== null) {
        multi.hincrby(keys.counters, 'fetched', 1);
        observe(multi, 'fetch_ms', outcome.fetchMs);
      }
      const lag = storedAt.getTime() - Date.parse(outcome.fetchedAt);
      if (Number.isFinite(lag) && lag >= 0) observe(multi, 'store_lag_ms', lag);
      await send(multi);
    },
    async observeExtraction(ms) {
      const multi = redis.multi();
      observe(multi, 'extract_ms', ms);
      await send(multi);
    },
    async observePolitenessWait(host, ms) {
      await send(redis.multi().hincrby(keys.politeness, `${host}|waits`, 1).hincrbyfloat(keys.politeness, `${host}|ms`, ms));
    },
  };
}

export interface HistogramSnapshot {
  /** Cumulative counts per upper bound in ms, the last one +Inf (Prometheus' `le` buckets). */
  buckets: Array<{ le: number; count: number }>;
  count: number;
  sumMs: number;
}

export interface PipelineMetricsSnapshot {
  fetched: number;
  stored: number;
  unchanged: number;
  /** Final failures and scheduled retries, by reason. */
  failedByReason: Record<string, number>;
  retryingByReason: Record<string, number>;
  histograms: Record<HistogramName, HistogramSnapshot>;
  politeness: Array<{ host: string; waits: number; waitMs: number }>;
}

/** Everything the workers published, read in one round trip. */
export async function readPipelineMetrics(redis: RedisClient, prefix: string): Promise<PipelineMetricsSnapshot> {
  const keys = metricsKeys(prefix);
  const [counters, politeness] = await Promise.all([redis.hgetall(keys.counters), redis.hgetall(keys.politeness)]);
  const number = (field: string) => Number(counters[field] ?? 0);
  const byReason = (status: string) =>
    Object.fromEntries(
      Object.entries(counters)
        .filter(([field]) => field.startsWith(`outcome:${status}:`))
        .map(([field, value]) => [field.slice(`outcome:${status}:`.length), Number(value)]),
    );
  const histogram = (name: HistogramName): HistogramSnapshot => {
    let cumulative = 0;
    const buckets = [...HISTOGRAM_BUCKETS_MS[name], Number.POSITIVE_INFINITY].map((le) => {
      cumulative += number(`${name}:le:${le === Number.POSITIVE_INFINITY ? '+Inf' : le}`);
      return { le, count: cumulative };
    });
    return { buckets, count: number(`${name}:count`), sumMs: number(`${name}:sum`) };
  };
  const hosts = new Map<string, { host: string; waits: number; waitMs: number }>();
  for (const [field, value] of Object.entries(politeness)) {
    const bar = field.lastIndexOf('|');
    const host = field.slice(0, bar);
    const entry = hosts.get(host) ?? { host, waits: 0, waitMs: 0 };
    if (field.slice(bar + 1) === 'waits') entry.waits = Number(value);
    else entry.waitMs = Number(value);
    hosts.set(host, entry);
  }
  return {
    fetched: number('fetched'),
    stored: number('outcome:stored'),
    unchanged: number('outcome:unchanged'),
    failedByReason: byReason('failed'),
    retryingByReason: byReason('retrying'),
    histograms: { fetch_ms: histogram('fetch_ms'), extract_ms: histogram('extract_ms'), store_lag_ms: histogram('store_lag_ms') },
    politeness: [...hosts.values()].sort((a, b) => a.host.localeCompare(b.host)),
  };
}
