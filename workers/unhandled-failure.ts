/**
 * Failures no job handler recorded: BullMQ's own (a job stalled in more crashes than allowed)
 * or a hand-off that itself failed. Each is turned into a record, so nothing ends silently: a
 * fetch job's URL gets a crawl_state row with its reason, a store job's result is handed off
 * again.
 */
import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import type { Logger } from '../src/log.ts';
import { INTERNAL_ERROR } from '../src/queue/failure-policy.ts';
import { STORE_QUEUE, type FetchJobData, type StoreJobData } from '../src/queue/job-data.ts';
import { storeJobId, storeJobOptions } from '../src/queue/job-options.ts';
import type { PipelineQueues } from '../src/queue/queues.ts';
import type { CrawlOutcome } from '../src/store/crawl-outcome.ts';
import { siteOf } from '../src/url/canonicalize.ts';

/** Reason recorded for a URL whose job was active in more worker crashes than allowed. */
export const STALLED = 'stalled';

const RECORDED = Symbol('failure recorded by its handler');

/** Mark an error thrown by a handler that has already recorded the failure. */
export function markRecorded<E extends Error>(error: E): E {
  Object.defineProperty(error, RECORDED, { value: true });
  return error;
}

export function isRecordedFailure(error: Error): boolean {
  return (error as Error & { [RECORDED]?: boolean })[RECORDED] === true;
}

/** BullMQ's message for a job failed by its stalled-job check. */
const STALLED_MESSAGE = /stalled more than allowable limit/i;

/** Random hex characters of a re-handed-off store job's id. */
const REHANDOFF_SUFFIX_BYTES = 8;

export async function recordUnhandledFailure(
  queueName: string,
  job: Job,
  error: Error,
  queues: PipelineQueues,
  logger: Logger,
): Promise<void> {
  const final = error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
  if (queueName === STORE_QUEUE) {
    if (!final) return;
    // The result must not be lost: hand it off again as a new store job.
    const jobId = `${job.id}-again-${randomBytes(REHANDOFF_SUFFIX_BYTES).toString('hex')}`;
    await queues.store.add('store', job.data as StoreJobData, { ...storeJobOptions(), jobId });
    logger.warn('store job failed outside its handler: handed off again', { id: job.id, again: jobId, message: error.message });
    return;
  }
  const data = job.data as FetchJobData;
  const reason = STALLED_MESSAGE.test(error.message) ? STALLED : INTERNAL_ERROR;
  const outcome: CrawlOutcome = {
    url: data.url,
    site: data.site ?? siteOf(data.url),
    status: final ? 'failed' : 'retrying',
    reason,
    httpStatus: null,
    error: reason === STALLED ? `the worker died while fetching it, ${job.attemptsStarted} times (${error.message})` : error.message,
    attempts: Math.max(1, job.attemptsMade),
    finalUrl: null,
    etag: null,
    lastModified: null,
    contentHash: null,
    fetchMs: null,
    fetchedAt: new Date().toISOString(),
    nextFetchAt: null,
  };
  await queues.store.add('store', { outcome }, { ...storeJobOptions(), jobId: storeJobId(job, outcome.attempts) });
  logger.warn(final ? 'fetch job failed: recorded as failed' : 'fetch job failed: will retry', { url: data.url, reason, message: error.message });
}
