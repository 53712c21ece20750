import { randomBytes } from 'node:crypto';
import type { Job, JobsOptions, KeepJobs } from 'bullmq';
import type { Config } from '../config.ts';

/**
 * Finished jobs kept in Redis for inspection, then trimmed so Redis does not grow without bound
 * (the durable record of every URL is crawl_state in SQLite).
 */
const KEEP_COMPLETED = { age: 24 * 3600, count: 1_000 };
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 10_000 };
/**
 * Completed store jobs carry a whole article (10–17 KB each) that is already in SQLite, and the
 * outcome is in crawl_state: keep only the last few for a look at what just went through.
 */
const KEEP_COMPLETED_STORE = { age: 3600, count: 100 };

/**
 * Jitter of retry delays, as a fraction of the delay: many URLs of one host failing together
 * (an outage) must not all come back in the same second.
 */
const RETRY_JITTER = 0.5;

/**
 * Attempts of a store job whose data SQLite rejects (a constraint, a value it cannot bind).
 * A database that refuses every write (disk full, locked, read-only) uses no attempts: the
 * store worker waits for it as long as it takes (workers/store-worker.ts).
 */
const STORE_ATTEMPTS = 5;
const STORE_RETRY_DELAY_MS = 1_000;

/**
 * How long finished jobs are kept. Set on the workers (BullMQ applies a worker's policy to a job
 * that has none of its own) rather than stored in the options of every job: about 90 bytes less
 * of JSON per waiting URL in Redis.
 */
export interface FinishedJobRetention {
  removeOnComplete: KeepJobs;
  removeOnFail: KeepJobs;
}

export const FETCH_JOB_RETENTION: FinishedJobRetention = { removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED };
export const STORE_JOB_RETENTION: FinishedJobRetention = { removeOnComplete: KEEP_COMPLETED_STORE, removeOnFail: KEEP_FAILED };

export function fetchJobOptions(config: Config): JobsOptions {
  return {
    attempts: config.FETCH_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.RETRY_BASE_DELAY_MS, jitter: RETRY_JITTER },
  };
}

export function storeJobOptions(): JobsOptions {
  return {
    attempts: STORE_ATTEMPTS,
    backoff: { type: 'exponential', delay: STORE_RETRY_DELAY_MS, jitter: RETRY_JITTER },
  };
}

/** Random hex characters that make each hand-off's id unique (64 bits). */
const HANDOFF_SUFFIX_BYTES = 8;

/**
 * Each hand-off gets its own store job. A job that stalled re-runs with the same attempt
 * number, so an id made of the job id and the attempt alone would repeat, and BullMQ would
 * silently drop the second result. Storing is idempotent, so a re-run's result stored twice
 * is harmless; dropped, it is lost.
 */
export function storeJobId(job: Pick<Job, 'id'>, attempt: number): string {
  return `${job.id}-a${attempt}-${randomBytes(HANDOFF_SUFFIX_BYTES).toString('hex')}`;
}
