/**
 * The store job: the only writer of the SQLite file. It upserts the article (if any) and
 * records the attempt's outcome in crawl_state, in one transaction.
 */
import type { Job } from 'bullmq';
import type { Db } from '../db/client.ts';
import type { Logger } from '../src/log.ts';
import type { PipelineMetricsRecorder } from '../src/queue/pipeline-metrics.ts';
import type { StoreJobData } from '../src/queue/job-data.ts';
import { upsertArticle, type UpsertOutcome } from '../src/store/article-store.ts';
import { recordCrawlOutcome } from '../src/store/crawl-state-store.ts';
import { scheduleNextRefresh } from '../src/store/refresh-store.ts';

export interface StoreJobDeps {
  db: Db;
  logger: Logger;
  /** Where outcomes, fetch latencies and store lag are published for /metrics; none in some tests. */
  metrics?: PipelineMetricsRecorder;
  now?: () => Date;
  /** REFRESH_SCHEDULE: when stored articles are checked again (fills crawl_state.next_fetch_at). */
  refreshScheduleMs?: readonly number[];
}

export function createStoreJobHandler(deps: StoreJobDeps) {
  const now = deps.now ?? (() => new Date());
  return async function handleStoreJob(job: Job<StoreJobData>): Promise<UpsertOutcome | 'recorded'> {
    const { outcome, article } = job.data;
    const at = now();
    const result = deps.db.transaction(() => {
      const stored = article ? upsertArticle(deps.db, article, at) : null;
      recordCrawlOutcome(deps.db, outcome, stored?.id ?? null, at);
      if (deps.refreshScheduleMs) scheduleNextRefresh(deps.db, outcome.url, deps.refreshScheduleMs);
      if (stored) deps.logger.debug('article stored', { url: outcome.url, id: stored.id, outcome: stored.outcome });
      return stored?.outcome ?? 'recorded';
    });
    void deps.metrics?.recordOutcome(outcome, at);
    return result;
  };
}
