/**
 * The store jobs one `--role all` process handed off and has not yet seen stored: on SIGTERM
 * it waits for them (within the grace period), so fetched results are stored before the
 * process goes rather than waiting in the queue for its next start. Such a process stores its
 * results itself (store-worker.ts, LocalStore); only those its store refused go through the
 * queue and are tracked here.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import type { Logger } from '../src/log.ts';

/** How often the drain looks at the store jobs still pending. */
const DRAIN_POLL_MS = 200;

/** Store jobs whose state one poll asks Redis for. */
const DRAIN_CHECK_BATCH = 500;

/**
 * Ids remembered at most: a store job another process stored is never seen completing here,
 * so the oldest ids are let go (long stored by then) to keep memory bounded.
 */
const MAX_TRACKED_HANDOFFS = 50_000;

export class HandoffTracker {
  private readonly pending = new Set<string>();

  constructor(private readonly storeQueue: Queue) {}

  get size(): number {
    return this.pending.size;
  }

  handedOff(id: string): void {
    this.pending.add(id);
    if (this.pending.size > MAX_TRACKED_HANDOFFS) {
      const oldest = this.pending.values().next().value;
      if (oldest !== undefined) this.pending.delete(oldest);
    }
  }

  stored(id: string | undefined): void {
    if (id !== undefined) this.pending.delete(id);
  }

  /** Wait until every tracked store job is stored (or gone), or the deadline aborts. */
  async drained(deadline: AbortSignal, logger: Logger): Promise<void> {
    if (this.pending.size === 0) return;
    logger.info('shutdown: storing the results this process fetched', { pending: this.pending.size });
    while (this.pending.size > 0 && !deadline.aborted) {
      await this.forgetFinished();
      if (this.pending.size === 0) break;
      await sleep(DRAIN_POLL_MS, undefined, { signal: deadline }).catch(() => undefined);
    }
    if (this.pending.size > 0) {
      logger.warn('shutdown deadline: results left in the store queue for the next start', { pending: this.pending.size });
    }
  }

  private async forgetFinished(): Promise<void> {
    const batch = [...this.pending].slice(0, DRAIN_CHECK_BATCH);
    const states = await Promise.all(batch.map((id) => this.storeQueue.getJobState(id).catch(() => 'error' as const)));
    batch.forEach((id, i) => {
      if (states[i] === 'completed' || states[i] === 'unknown') this.pending.delete(id);
    });
  }
}
