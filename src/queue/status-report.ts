/**
 * What `ingest status --format json` prints and `GET /api/status` answers: job counts of both
 * queues, the store side's backlog and health, and the database totals. One module, so the two
 * never drift apart.
 */
import type { RedisClient } from './redis-connection.ts';
import type { Db } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { readDatabaseTotals, type DatabaseTotals } from '../store/database-totals.ts';
import type { PipelineQueues } from './queues.ts';
import { readStoreHealth, type StoreHealth } from './store-health.ts';

export const JOB_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'] as const;

/** Store-queue states of a result not yet in the database. */
const STORE_BACKLOG_STATES = ['waiting', 'prioritized', 'active', 'delayed'] as const;

export interface StatusReport {
  queues: Record<string, Record<string, number>>;
  /**
   * Results waiting to be stored (store jobs waiting, delayed or active) and whether the store
   * worker is waiting for the database, with its last storage error.
   */
  store: { backlog: number; health: StoreHealth | null };
  /** Null when the database file is not on this machine (a fetch-only host). */
  database: (DatabaseTotals & { path: string }) | null;
}

export async function readQueueCounts(queues: Pick<PipelineQueues, 'fetch' | 'store'>): Promise<StatusReport['queues']> {
  const counts: StatusReport['queues'] = {};
  for (const queue of [queues.fetch, queues.store]) counts[queue.name] = await queue.getJobCounts(...JOB_STATES);
  return counts;
}

/** The store side: its backlog from the store queue's counts, its health from Redis. */
export async function readStoreStatus(
  counts: StatusReport['queues'],
  queues: Pick<PipelineQueues, 'store'>,
  redis: RedisClient,
  config: Pick<Config, 'QUEUE_PREFIX'>,
): Promise<StatusReport['store']> {
  const store = counts[queues.store.name] ?? {};
  return {
    backlog: STORE_BACKLOG_STATES.reduce((sum, state) => sum + (store[state] ?? 0), 0),
    health: await readStoreHealth(redis, config),
  };
}

/** The database part of the report, or null without a database. */
export function readDatabaseStatus(db: Db | null, path: string, now: Date): StatusReport['database'] {
  return db ? { path, ...readDatabaseTotals(db, now) } : null;
}
