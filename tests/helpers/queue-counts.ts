/**
 * Jobs of one queue not yet done (waiting, prioritized, delayed, running, waiting for children):
 * zero means nothing more can happen there, which a test can check at once instead of watching
 * a worker for a while to see that nothing comes.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from './redis-test-prefix.ts';

export async function pendingJobs(prefix: string, queueName: string, url = TEST_REDIS_URL): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  const queue = new Queue(queueName, { connection: redis, prefix });
  try {
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'waiting-children');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  } finally {
    await queue.close();
    redis.disconnect();
  }
}
