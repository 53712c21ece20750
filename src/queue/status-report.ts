/**
 * What `ingest status --format json` prints and `GET /api/status` answers: job counts of both
 * queues and the database totals. One function, so the two never drift apart.
 */
import type { Db } from '../../db/client.ts';
import { readDatabaseTotals, type DatabaseTotals } from '../store/database-totals.ts';
import type { PipelineQueues } from './queues.ts';

export const JOB_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'] as const;

export interface StatusReport {
  queues: Record<string, Record<string, number>>;
  /** Null when the database file is not on this machine (a fetch-only host). */
  database: (DatabaseTotals & { path: string }) | null;
}

export async function readQueueCounts(queues: Pick<PipelineQueues, 'fetch' | 'store'>): Promise<StatusReport['queues']> {
  const counts: StatusReport['queues'] = {};
  for (const queue of [queues.fetch, queues.store]) counts[queue.name] = await queue.getJobCounts(...JOB_STATES);
  return counts;
}

/** The database part of the report, or null without a database. */
export function readDatabaseStatus(db: Db | null, path: string, now: Date): StatusReport['database'] {
  return db ? { path, ...readDatabaseTotals(db, now) } : null;
}
