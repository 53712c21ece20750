/**
 * The store job: the only writer of the SQLite file. It upserts the article (if any), records
 * the attempt's outcome in crawl_state and schedules the next refresh. Many jobs run at once
 * (STORE_CONCURRENCY) and their writes share transactions (write-batcher.ts); a job is answered
 * only after the transaction holding its write committed.
 *
 * A result is never dropped: when the database refuses writes (disk full, I/O error, locked,
 * read-only) the jobs wait in place, in arrival order, and are tried again with a growing delay,
 * as long as it takes; the store queue waits behind them (one writer), and `ingest status` shows
 * why. Only an error about the data itself fails a job (its own, not its batch's), after a few
 * attempts, and then the URL is recorded as failed with reason `store-failed`.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { RedisClient } from '../src/queue/redis-connection.ts';
import type { Db } from '../db/client.ts';
import type { Config } from '../src/config.ts';
import type { Logger } from '../src/log.ts';
import type { PipelineMetricsRecorder } from '../src/queue/pipeline-metrics.ts';
import type { StoreJobData } from '../src/queue/job-data.ts';
import { KnownUrls } from '../src/queue/known-urls.ts';
import { inWriteTransaction, writeArticle, type UpsertOutcome } from '../src/store/article-store.ts';
import { writeCrawlOutcome } from '../src/store/crawl-state-store.ts';
import { writeNextRefresh } from '../src/store/refresh-store.ts';
import { isStorageUnavailable, storageErrorCode, storageErrorMessage } from '../src/store/storage-errors.ts';
import { jobIdForUrl } from '../src/url/job-id.ts';
import { StoreWait, type StoreWaitTiming } from './store-wait.ts';
import { markRecorded } from './unhandled-failure.ts';
import { WriteBatcher, WritesStoppedError } from './write-batcher.ts';

/** Reason recorded when the store itself rejected a result (a data error, not a full disk). */
export const STORE_FAILED = 'store-failed';

/**
 * Store jobs a store worker runs at once, and so the most writes in one transaction. At 100 a
 * transaction's fixed cost (the lock, the WAL append, the commit) is spread thin: prepared and
 * batched 100 per transaction an article costs about a third of one per transaction (issue 13);
 * more buys little and holds the event loop longer per commit (about 0.5 ms per article).
 */
export const STORE_CONCURRENCY = 100;

/**
 * How long the first job of a batch waits for others before its transaction commits, in ms:
 * under load a batch fills long before this; a lone job is answered this much later.
 */
const STORE_BATCH_LINGER_MS = 20;

export interface StoreJobDeps {
  db: Db;
  logger: Logger;
  /** For the known-URL set and the store health `ingest status` reads. */
  redis: RedisClient;
  config: Pick<Config, 'QUEUE_PREFIX' | 'DATABASE_PATH'>;
  /** Aborted when the process stops: jobs waiting for the database go back to the queue. */
  stopping: AbortSignal;
  /** Retry delays while the database refuses writes (tests shorten them). */
  timing?: Partial<StoreWaitTiming>;
  /** Where outcomes, fetch latencies and store lag are published for /metrics; none in some tests. */
  metrics?: PipelineMetricsRecorder;
  now?: () => Date;
  /** REFRESH_SCHEDULE: when stored articles are checked again (fills crawl_state.next_fetch_at). */
  refreshScheduleMs?: readonly number[];
}

/** What a store job or a local write came to: the article's outcome, or "recorded" (an outcome alone). */
export type StoreResult = UpsertOutcome | 'recorded';

/** What one store job wrote, and when. */
interface StoreWrite {
  result: StoreResult;
  at: Date;
}

/**
 * The store of a process, reached two ways: the store queue's jobs (`handleStoreJob`, every
 * role that stores) and, in a `--role all` process, its own fetch jobs' results written without
 * a round trip through the store queue (`local`, see {@link LocalStore}). Both share one
 * write batcher, so their writes share transactions and apply in arrival order.
 */
export interface StoreWriting {
  handleStoreJob(job: Job<StoreJobData>, token?: string): Promise<StoreResult>;
  local: LocalStore;
}

export function createStoreJobHandler(deps: StoreJobDeps): StoreWriting['handleStoreJob'] {
  return createStoreWriting(deps).handleStoreJob;
}

export function createStoreWriting(deps: StoreJobDeps): StoreWriting {
  const now = deps.now ?? (() => new Date());
  const wait = new StoreWait({ logger: deps.logger, redis: deps.redis, config: deps.config, ...(deps.timing ?? {}) });
  const batcher = new WriteBatcher<StoreJobData, StoreWrite>({
    writeBatch: (items) => writeStoreJobs(deps.db, items, now(), deps.refreshScheduleMs),
    maxItems: STORE_CONCURRENCY,
    lingerMs: STORE_BATCH_LINGER_MS,
    wait: {
      isUnavailable: isStorageUnavailable,
      failed: (error, items) => wait.failed(error, items[0]?.outcome.url ?? ''),
      succeeded: () => wait.succeeded(),
      delayAfter: (failures) => wait.delayAfter(failures),
    },
  });
  if (deps.stopping.aborted) batcher.stop();
  else deps.stopping.addEventListener('abort', () => batcher.stop(), { once: true });
  /** What follows a committed write, whichever way it came: its metrics and the known-URL set's update. */
  async function afterWrite(data: StoreJobData, written: StoreWrite): Promise<StoreResult> {
    deps.metrics?.recordOutcome(data.outcome, written.at);
    await forgetFinalFailure(data, deps);
    return written.result;
  }
  return {
    async handleStoreJob(job: Job<StoreJobData>, token?: string): Promise<StoreResult> {
      let written: StoreWrite;
      try {
        written = await batcher.submit(job.data);
      } catch (error) {
        if (error instanceof WritesStoppedError) return putBack(job, token);
        return failOnDataError(job, error, deps, now());
      }
      return afterWrite(job.data, written);
    },
    local: new LocalStore(async (data) => afterWrite(data, await batcher.submit(data)), () => batcher.isWriting),
  };
}

/**
 * A `--role all` process's own results, stored without the store queue: the fetch job writes
 * its result through the process's write batcher and completes only once that transaction has
 * committed. That saves a store job per page (adding it, taking it, completing it: about a
 * third of the Redis commands of a page, and their CPU on both sides), and the results never
 * wait in Redis, so nothing piles up there for the process to drain at shutdown.
 *
 * Still exactly once: a crash before the commit leaves the fetch job to run again (it stalls),
 * after it the write is an idempotent upsert, as a store job's re-run is. Anything but a plain
 * commit is the store queue's to handle, as before: `write` refuses at once while the database
 * is refusing writes (or the process is stopping), and rejects when a write fails (a data
 * error); the caller then hands the result off as a store job, whose retries, waiting and
 * failure records apply unchanged.
 */
export class LocalStore {
  private readonly listeners = new Set<(data: StoreJobData, result: StoreResult) => void>();

  constructor(
    private readonly store: (data: StoreJobData) => Promise<StoreResult>,
    private readonly accepting: () => boolean,
  ) {}

  /** Resolves once the result is stored; rejects when it must go through the store queue instead. */
  async write(data: StoreJobData): Promise<StoreResult> {
    if (!this.accepting()) throw new LocalStoreRefusedError();
    const result = await this.store(data);
    for (const listener of this.listeners) listener(data, result);
    return result;
  }

  /** Told of every result stored here (worker-stats.ts counts them beside the store jobs). */
  onStored(listener: (data: StoreJobData, result: StoreResult) => void): void {
    this.listeners.add(listener);
  }
}

/** The database is refusing writes or the process is stopping: the result goes to the store queue. */
export class LocalStoreRefusedError extends Error {
  override readonly name = 'LocalStoreRefusedError';
  constructor() {
    super('the local store is waiting for the database or stopping');
  }
}

/**
 * The jobs' writes in one immediate transaction, in arrival order (two results for the same
 * URL apply as they came): each job's article, its outcome and its next refresh.
 */
function writeStoreJobs(db: Db, items: readonly StoreJobData[], at: Date, refreshScheduleMs: readonly number[] | undefined): StoreWrite[] {
  return inWriteTransaction(db, (statements) =>
    items.map(({ outcome, article }) => {
      const stored = article ? writeArticle(statements, article, at) : null;
      writeCrawlOutcome(statements, outcome, stored?.id ?? null, at);
      if (refreshScheduleMs) writeNextRefresh(statements, outcome.url, refreshScheduleMs);
      return { result: stored?.outcome ?? 'recorded', at };
    }),
  );
}

/**
 * A URL that ended failed leaves the known-URL set once its outcome is recorded: the set means
 * "queued, in progress or done", so `ingest enqueue` takes a failed URL again.
 */
async function forgetFinalFailure(data: StoreJobData, deps: StoreJobDeps): Promise<void> {
  if (data.outcome.status !== 'failed') return;
  await new KnownUrls(deps.redis, deps.config.QUEUE_PREFIX).remove([jobIdForUrl(data.outcome.url)]);
}

/** Back to the queue without using an attempt: the process is stopping while the job waits. */
async function putBack(job: Job<StoreJobData>, token: string | undefined): Promise<never> {
  await job.moveToDelayed(Date.now(), token);
  throw new DelayedError();
}

/**
 * The data was refused (a constraint, a value SQLite cannot bind): retry a few times (BullMQ
 * attempts), then record the URL as failed so a person can see it, and fail the job for good.
 */
async function failOnDataError(job: Job<StoreJobData>, error: unknown, deps: StoreJobDeps, at: Date): Promise<never> {
  const message = storageErrorMessage(error);
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  deps.logger.error('store job failed', { url: job.data.outcome.url, code: storageErrorCode(error), message, lastAttempt });
  if (!lastAttempt) throw error;
  const outcome = { ...job.data.outcome, status: 'failed' as const, reason: STORE_FAILED, error: message };
  try {
    inWriteTransaction(deps.db, (statements) => writeCrawlOutcome(statements, outcome, null, at));
    await forgetFinalFailure({ outcome }, deps);
  } catch (recordError) {
    deps.logger.error('store failure not recorded', { url: outcome.url, message: storageErrorMessage(recordError) });
  }
  throw markRecorded(new UnrecoverableError(`${STORE_FAILED}: ${message}`));
}
