/**
 * GET /metrics: Prometheus text format through prom-client. Three sources, read at scrape time:
 * - what the workers published to Redis (src/queue/pipeline-metrics.ts): pages fetched, stored,
 *   unchanged and failed by reason, fetch latency, extraction time and store lag histograms,
 *   per-host politeness waits (monotonic counters, summed over every worker process);
 * - BullMQ: job counts per queue and state (queue depths), and BullMQ's own completed/failed
 *   totals where the workers collect metrics;
 * - the database (crawl_state, articles): URLs by current status and failure reason, articles
 *   per site, the newest stored row.
 * And the serve process' own default metrics (event loop lag, memory, GC).
 */
import { Hono } from 'hono';
import client, { type Metric } from 'prom-client';
import { readPipelineMetrics, type HistogramSnapshot } from '../../queue/pipeline-metrics.ts';
import { JOB_STATES, readQueueCounts } from '../../queue/status-report.ts';
import { readDatabaseTotals } from '../../store/database-totals.ts';
import { listSiteSummaries, readArticlesVersion } from '../../store/article-listing.ts';
import { needingRedis } from '../api-error.ts';
import type { ServeDeps } from '../serve-deps.ts';

/** One sample: prom-client's registry prints `metricName{labels} value`. */
type Values = Array<{ metricName?: string; labels: Record<string, string>; value: number }>;
type ExternalMetricType = 'counter' | 'gauge' | 'histogram';

/**
 * A metric whose values are computed elsewhere (Redis, the database) and read at scrape time.
 * prom-client's own Counter and Histogram only count in this process; the registry formats any
 * object with this shape.
 */
function externalMetric(name: string, help: string, type: ExternalMetricType, read: () => Promise<Values>): Metric<string> {
  return {
    name,
    help,
    type,
    async get() {
      return { name, help, type, aggregator: 'sum', values: await read() };
    },
  } as unknown as Metric<string>;
}

function histogramValues(name: string, snapshot: HistogramSnapshot, labels: Record<string, string> = {}): Values {
  const seconds = (ms: number) => ms / 1000;
  return [
    ...snapshot.buckets.map((bucket) => ({
      metricName: `${name}_bucket`,
      labels: { ...labels, le: bucket.le === Number.POSITIVE_INFINITY ? '+Inf' : String(seconds(bucket.le)) },
      value: bucket.count,
    })),
    { metricName: `${name}_sum`, labels, value: seconds(snapshot.sumMs) },
    { metricName: `${name}_count`, labels, value: snapshot.count },
  ];
}

export function createMetricsRegistry(deps: ServeDeps): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'ingest_serve_' });
  // One read of Redis per scrape, shared by the metrics below.
  let pending: ReturnType<typeof readPipelineMetrics> | null = null;
  const pipeline = () => {
    pending ??= readPipelineMetrics(deps.redis, deps.config.QUEUE_PREFIX).finally(() => {
      setImmediate(() => (pending = null));
    });
    return pending;
  };
  const add = (metric: Metric<string>) => registry.registerMetric(metric);

  add(externalMetric('ingest_pages_fetched_total', 'Pages fetched (a response arrived), by every worker.', 'counter', async () => [{ labels: {}, value: (await pipeline()).fetched }]));
  add(externalMetric('ingest_pages_stored_total', 'Fetches whose article was stored (new or changed).', 'counter', async () => [{ labels: {}, value: (await pipeline()).stored }]));
  add(externalMetric('ingest_pages_unchanged_total', 'Fetches answered 304 or with the same content.', 'counter', async () => [{ labels: {}, value: (await pipeline()).unchanged }]));
  add(
    externalMetric('ingest_pages_failed_total', 'Fetches that failed for good, by reason.', 'counter', async () =>
      Object.entries((await pipeline()).failedByReason).map(([reason, value]) => ({ labels: { reason }, value })),
    ),
  );
  add(
    externalMetric('ingest_pages_retried_total', 'Fetches that failed and were scheduled again, by reason.', 'counter', async () =>
      Object.entries((await pipeline()).retryingByReason).map(([reason, value]) => ({ labels: { reason }, value })),
    ),
  );
  add(externalMetric('ingest_fetch_duration_seconds', 'Time of one fetch, connect to last byte.', 'histogram', async () => histogramValues('ingest_fetch_duration_seconds', (await pipeline()).histograms.fetch_ms)));
  add(externalMetric('ingest_extraction_duration_seconds', 'Time of one extraction in a fetch worker.', 'histogram', async () => histogramValues('ingest_extraction_duration_seconds', (await pipeline()).histograms.extract_ms)));
  add(externalMetric('ingest_store_lag_seconds', 'From a fetch job starting to its outcome committed to the database.', 'histogram', async () => histogramValues('ingest_store_lag_seconds', (await pipeline()).histograms.store_lag_ms)));
  add(
    externalMetric('ingest_politeness_waits_total', 'Times a fetch found its host busy and waited for a politeness slot, by host.', 'counter', async () =>
      (await pipeline()).politeness.map(({ host, waits }) => ({ labels: { host }, value: waits })),
    ),
  );
  add(
    externalMetric('ingest_politeness_wait_seconds_total', 'Time fetches were told to wait for a politeness slot, by host.', 'counter', async () =>
      (await pipeline()).politeness.map(({ host, waitMs }) => ({ labels: { host }, value: waitMs / 1000 })),
    ),
  );

  add(
    externalMetric('ingest_queue_jobs', 'Jobs per queue and state (queue depth: waiting, delayed, active).', 'gauge', async () => {
      const counts = await readQueueCounts(deps.queues);
      return Object.entries(counts).flatMap(([queue, byState]) => JOB_STATES.map((state) => ({ labels: { queue, state }, value: byState[state] ?? 0 })));
    }),
  );
  for (const kind of ['completed', 'failed'] as const) {
    add(
      externalMetric(`ingest_queue_jobs_${kind}_total`, `Jobs ${kind} per queue, as BullMQ's own metrics count them (workers record them).`, 'counter', async () =>
        Promise.all(
          [deps.queues.fetch, deps.queues.store].map(async (queue) => ({ labels: { queue: queue.name }, value: (await queue.getMetrics(kind, 0, 0)).meta.count })),
        ),
      ),
    );
  }

  add(
    externalMetric('ingest_urls', 'URLs in crawl_state by their last outcome.', 'gauge', async () =>
      Object.entries(readDatabaseTotals(deps.db, deps.now?.() ?? new Date()).urlsByStatus).map(([status, value]) => ({ labels: { status }, value })),
    ),
  );
  add(
    externalMetric('ingest_urls_failed', 'URLs whose last outcome is a failure, by reason.', 'gauge', async () =>
      readDatabaseTotals(deps.db, deps.now?.() ?? new Date()).failuresByReason.map(({ reason, count }) => ({ labels: { reason }, value: count })),
    ),
  );
  add(
    externalMetric('ingest_articles', 'Articles in the database, by site.', 'gauge', async () =>
      listSiteSummaries(deps.db)
        .filter((site) => site.articles > 0)
        .map((site) => ({ labels: { site: site.site }, value: site.articles })),
    ),
  );
  add(
    externalMetric('ingest_last_article_change_timestamp_seconds', 'When an article was last stored or changed (Unix time).', 'gauge', async () => {
      const last = readArticlesVersion(deps.db).lastUpdatedAt;
      return last ? [{ labels: {}, value: Date.parse(last) / 1000 }] : [];
    }),
  );
  return registry;
}

export function metricsRoute(deps: ServeDeps): Hono {
  const registry = createMetricsRegistry(deps);
  const route = new Hono();
  route.get('/metrics', async (c) => c.body(await needingRedis(registry.metrics()), 200, { 'Content-Type': registry.contentType }));
  return route;
}
