/**
 * Filling crawl_state.next_fetch_at after a fetch of a stored article: the next check on its
 * decaying refresh schedule (discover/refresh-schedule.ts), or null when the schedule is over.
 */
import type { Db } from '../../db/client.ts';
import { nextRefreshAt } from '../discover/refresh-schedule.ts';
import { storeStatements, type StoreStatements } from './store-statements.ts';

export function scheduleNextRefresh(db: Db, url: string, offsetsMs: readonly number[]): string | null {
  return writeNextRefresh(storeStatements(db.$client), url, offsetsMs);
}

/** scheduleNextRefresh on the store's prepared statements, inside the caller's transaction. */
export function writeNextRefresh(statements: StoreStatements, url: string, offsetsMs: readonly number[]): string | null {
  const row = statements.refreshSource(url);
  if (!row || !row.fetchedAt || (row.status !== 'stored' && row.status !== 'unchanged')) return null;
  const reference = referenceInstant(row.publishedAtUtc, row.publishedAt, row.createdAt);
  const next = nextRefreshAt(reference, new Date(row.fetchedAt), offsetsMs);
  const nextFetchAt = next?.toISOString() ?? null;
  statements.setNextFetchAt(url, nextFetchAt);
  return nextFetchAt;
}

/** Publication instant when known (a bare date counts from its start, UTC), else first stored. */
function referenceInstant(utc: string | null, published: string | null, createdAt: string): Date {
  for (const candidate of [utc, published]) {
    const ms = candidate === null ? NaN : Date.parse(candidate);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  return new Date(createdAt);
}
