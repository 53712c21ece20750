/**
 * The source queue: one job per run of a feed, sitemap or section page. Its jobs are produced
 * by BullMQ job schedulers (one per source, source-schedules.ts) and by `ingest source run`.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from './redis-connection.ts';
import type { Config } from '../config.ts';

export const SOURCE_QUEUE = 'source';

/** A source run: the source's id and URL (the rest is read from the sources table). */
export interface SourceJobData {
  sourceId: number;
  url: string;
}

/**
 * Attempts of one source run for transient faults (timeouts, resets, 5xx). Few: the next
 * scheduled run comes anyway, and a source that keeps failing is recorded as failing.
 */
const SOURCE_ATTEMPTS = 3;

/** Finished source runs kept in Redis for inspection; the record of each run is in SQLite. */
const KEEP_COMPLETED = { age: 3600, count: 100 };
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 1_000 };

export function sourceJobOptions(config: Pick<Config, 'RETRY_BASE_DELAY_MS'>): JobsOptions {
  return {
    attempts: SOURCE_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.RETRY_BASE_DELAY_MS, jitter: 0.5 },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  };
}

export function openSourceQueue(config: Config, connection: RedisClient): Queue<SourceJobData> {
  return new Queue<SourceJobData>(SOURCE_QUEUE, {
    connection,
    prefix: config.QUEUE_PREFIX,
    defaultJobOptions: sourceJobOptions(config),
  });
}
