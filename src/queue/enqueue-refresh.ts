/**
 * Enqueueing a conditional re-fetch of a known URL (a source saw it change, its refresh is due,
 * or `ingest recrawl` asked), without piling up jobs: a URL whose first fetch or last re-fetch
 * is still waiting, delayed or running is not enqueued again. Each re-fetch gets its own job id
 * (`<url id>-r<epoch ms>`), so its store hand-off never collides with an earlier one's; a
 * pointer per URL in Redis names the last one, and a short lock keeps two enqueuers (two
 * recrawls, a recrawl and a source run) from adding the same URL at once.
 */
import type { Queue } from 'bullmq';
import type { RedisClient } from './redis-connection.ts';
import type { Config } from '../config.ts';
import { siteOf } from '../url/canonicalize.ts';
import { jobIdForUrl } from '../url/job-id.ts';
import type { FetchJobData, FetchValidators } from './job-data.ts';

/** Job states in which a URL counts as already queued. */
const PENDING_STATES: ReadonlySet<string> = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

/** How long the per-URL enqueue lock lives: far longer than the few round trips it guards. */
const ENQUEUE_LOCK_MS = 10_000;

export function refreshPointerKey(config: Pick<Config, 'QUEUE_PREFIX'>): string {
  return `${config.QUEUE_PREFIX}:refresh-jobs`;
}

export type RefreshResult = 'enqueued' | 'already-queued';

export async function enqueueRefetch(
  config: Pick<Config, 'QUEUE_PREFIX'>,
  redis: RedisClient,
  fetchQueue: Queue<FetchJobData>,
  url: string,
  validators: FetchValidators | null,
  now: Date,
  hints?: FetchJobData['hints'],
): Promise<RefreshResult> {
  const baseId = jobIdForUrl(url);
  const lockKey = `${config.QUEUE_PREFIX}:refresh-lock:${baseId}`;
  const locked = await redis.set(lockKey, '1', 'PX', ENQUEUE_LOCK_MS, 'NX');
  if (locked !== 'OK') return 'already-queued';
  try {
    const previous = await redis.hget(refreshPointerKey(config), baseId);
    for (const id of [baseId, previous]) {
      if (id && PENDING_STATES.has(await fetchQueue.getJobState(id))) return 'already-queued';
    }
    const jobId = `${baseId}-r${now.getTime()}`;
    const data: FetchJobData = {
      url,
      site: siteOf(url),
      enqueuedAt: now.toISOString(),
      ...(validators ?? {}),
      ...(hints ? { hints } : {}),
    };
    await fetchQueue.add('fetch', data, { jobId });
    await redis.hset(refreshPointerKey(config), baseId, jobId);
    return 'enqueued';
  } finally {
    await redis.del(lockKey);
  }
}
