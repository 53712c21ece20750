/**
 * Waiting until the queues are empty (`ingest crawl`, `ingest worker --until-idle`): nothing
 * waiting, delayed (a retry, a polite delay) or running, seen on IDLE_CONFIRMATIONS polls in a
 * row, or until a stop condition (--max-pages, a signal) holds.
 */
import type { PipelineQueues } from '../queue/queues.ts';
import { readQueueDepth } from './stats-reporter.ts';

/** How often the queue counts are read: quick to notice the end, a light load on Redis. */
const IDLE_POLL_MS = 250;

/**
 * Empty polls in a row before the queue counts as idle: a job moving between states (a fetch
 * handing its result to the store queue) is never missed by a single unlucky read.
 */
const IDLE_CONFIRMATIONS = 2;

export type IdleWatch = 'fetch' | 'store';

export async function waitUntilIdle(
  queues: PipelineQueues,
  watch: readonly IdleWatch[],
  shouldStop: () => boolean,
  onPoll?: () => void,
): Promise<'idle' | 'stopped'> {
  let empty = 0;
  for (;;) {
    if (shouldStop()) return 'stopped';
    // Nothing to watch (only a stop condition): never idle. A failed read (Redis away) is not empty.
    const depth = watch.length === 0 ? null : await readQueueDepth(queues).catch(() => null);
    onPoll?.();
    const pending = depth === null ? 1 : watch.reduce((sum, queue) => sum + depth[queue], 0);
    empty = pending === 0 ? empty + 1 : 0;
    if (empty >= IDLE_CONFIRMATIONS) return 'idle';
    await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
  }
}
