/**
 * Pipeline metrics that only the workers can observe (fetch latency, extraction time, store lag,
 * politeness waits, outcomes), published to two Redis hashes so that `ingest serve` can expose
 * them on /metrics for every worker process on every machine at once. Workers add to counters
 * (HINCRBY, HINCRBYFLOAT, sent once a second: METRICS_FLUSH_MS); nothing is ever reset, so
 * Prometheus sees monotonic counters and histograms that survive worker restarts. Recording never
 * fails a job: what Redis refuses is kept for the next flush.
 */
import { setTimeout as sleep } from 'node:timers/promises';
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

/**
 * How often a worker sends what it observed, in ms. Observations add up in the process and go
 * to Redis as one pipeline of HINCRBY / HINCRBYFLOAT per distinct field: sent per observation
 * they were 11 of the 24 Redis commands per stored page (issue 13). Prometheus scrapes every
 * 15 s or more, so a second's delay is invisible; a crash loses at most a second of metrics,
 * never data.
 */
export const METRICS_FLUSH_MS = 1_000;

/** Longest a closing worker waits for its last metrics to reach Redis, in ms. */
const CLOSE_FLUSH_TIMEOUT_MS = 2_000;

export interface PipelineMetricsRecorder {
  /** The store worker: one attempt's outcome, as it commits it. */
  recordOutcome(outcome: CrawlOutcome, storedAt: Date): void;
  /** The fetch worker: milliseconds one extraction took. */
  observeExtraction(ms: number): void;
  /** The fetch worker: a job had to wait this long for a politeness slot of `host`. */
  observePolitenessWait(host: string, ms: number): void;
  /** Sends what was observed since the last flush (the timer does this every METRICS_FLUSH_MS). */
  flush(): Promise<void>;
  /** Stops the timer and sends what is left. */
  close(): Promise<void>;
}

/** Increments waiting to be sent: hash key, then field, then the amount. */
type PendingIncrements = Map<string, Map<string, number>>;

function addTo(pending: PendingIncrements, key: string, field: string, amount: number): void {
  let fields = pending.get(key);
  if (!fields) pending.set(key, (fields = new Map()));
  fields.set(field, (fields.get(field) ?? 0) + amount);
}

export function createPipelineMetricsRecorder(redis: RedisClient, prefix: string, flushMs = METRICS_FLUSH_MS): PipelineMetricsRecorder {
  const keys = metricsKeys(prefix);
  // Whole counts go as HINCRBY, sums of milliseconds as HINCRBYFLOAT.
  let counts: PendingIncrements = new Map();
  let sums: PendingIncrements = new Map();
  const observe = (name: HistogramName, ms: number) => {
    const fields = histogramFields(name, ms);
    addTo(counts, keys.counters, fields.bucket, 1);
    addTo(counts, keys.counters, fields.count, 1);
    addTo(sums, keys.counters, fields.sum, ms);
  };
  // One flush at a time: while one is in flight (Redis slow or down), observations keep adding
  // up here instead of queueing pipelines behind it.
  let inFlight: Promise<void> | null = null;
  const flush = (): Promise<void> => {
    if (inFlight) return inFlight;
    const sentCounts = counts;
    const sentSums = sums;
    if (sentCounts.size === 0 && sentSums.size === 0) return Promise.resolve();
    counts = new Map();
    sums = new Map();
    const pipeline = redis.pipeline();
    for (const [key, fields] of sentCounts) for (const [field, amount] of fields) pipeline.hincrby(key, field, amount);
    for (const [key, fields] of sentSums) for (const [field, amount] of fields) pipeline.hincrbyfloat(key, field, amount);
    // Recording never fails a job: when Redis cannot take them, the increments are kept for the
    // next flush (their fields are few: outcomes, buckets, hosts).
    inFlight = pipeline
      .exec()
      .then((results) => {
        if (results?.some(([error]) => error !== null)) throw new Error('metrics not recorded');
      })
      .catch(() => {
        for (const [key, fields] of sentCounts) for (const [field, amount] of fields) addTo(counts, key, field, amount);
        for (const [key, fields] of sentSums) for (const [field, amount] of fields) addTo(sums, key, field, amount);
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();
  return {
    recordOutcome(outcome, storedAt) {
      const field = outcome.status === 'stored' || outcome.status === 'unchanged' ? outcome.status : `${outcome.status}:${outcome.reason ?? 'unknown'}`;
      addTo(counts, keys.counters, `outcome:${field}`, 1);
      if (outcome.fetchMs !== null) {
        addTo(counts, keys.counters, 'fetched', 1);
        observe('fetch_ms', outcome.fetchMs);
      }
      const lag = storedAt.getTime() - Date.parse(outcome.fetchedAt);
      if (Number.isFinite(lag) && lag >= 0) observe('store_lag_ms', lag);
    },
    observeExtraction(ms) {
      observe('extract_ms', ms);
    },
    observePolitenessWait(host, ms) {
      addTo(counts, keys.politeness, `${host}|waits`, 1);
      addTo(sums, keys.politeness, `${host}|ms`, ms);
    },
    flush,
    async close() {
      clearInterval(timer);
      // The last observations, unless Redis is down: a shutdown does not wait for metrics.
      const last = (async () => {
        await inFlight;
        await flush();
      })();
      await Promise.race([last, sleep(CLOSE_FLUSH_TIMEOUT_MS, undefined, { ref: false })]);
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
