import { Queue } from 'bullmq';
import type { RedisClient } from './redis-connection.ts';
import type { Config } from '../config.ts';
import { FETCH_QUEUE, STORE_QUEUE, type FetchJobData, type StoreJobData } from './job-data.ts';
import { fetchJobOptions, storeJobOptions } from './job-options.ts';

export interface PipelineQueues {
  fetch: Queue<FetchJobData>;
  store: Queue<StoreJobData>;
  close(): Promise<void>;
}

/**
 * The two queues of the pipeline, on one Redis connection, under the configured prefix.
 *
 * Each queue gets an 'error' listener: BullMQ emits connection errors on the queue too, and
 * without a listener it prints each one as a raw stack trace (the log flood of a Redis outage).
 * Commands see failures through the calls they await; `onError` hears the rest.
 */
export function openQueues(config: Config, connection: RedisClient, onError: (error: Error) => void = () => {}): PipelineQueues {
  const fetch = new Queue<FetchJobData>(FETCH_QUEUE, {
    connection,
    prefix: config.QUEUE_PREFIX,
    defaultJobOptions: fetchJobOptions(config),
  });
  const store = new Queue<StoreJobData>(STORE_QUEUE, {
    connection,
    prefix: config.QUEUE_PREFIX,
    defaultJobOptions: storeJobOptions(),
  });
  fetch.on('error', onError);
  store.on('error', onError);
  return {
    fetch,
    store,
    async close() {
      await Promise.all([fetch.close(), store.close()]);
    },
  };
}

