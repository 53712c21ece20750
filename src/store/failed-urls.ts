/** The URLs whose last outcome is a failure (crawl_state), for `ingest failed` and `ingest retry`. */
import type { Db } from '../../db/client.ts';
import { sqliteOf, type SqliteReader } from './sqlite-reader.ts';

export interface FailedUrlFilters {
  /** Only this reason ("http-404", "timeout"). */
  reason?: string;
  /** Only this site (host without "www."). */
  site?: string;
  limit?: number;
}

export interface FailedUrl {
  url: string;
  site: string;
  reason: string | null;
  httpStatus: number | null;
  error: string | null;
  attempts: number;
  at: string;
}

function where(filters: FailedUrlFilters): { clause: string; params: unknown[] } {
  const clauses = ["status = 'failed'"];
  const params: unknown[] = [];
  if (filters.reason) {
    clauses.push('reason = ?');
    params.push(filters.reason);
  }
  if (filters.site) {
    clauses.push('site = ?');
    params.push(filters.site.toLowerCase().replace(/^www\./, ''));
  }
  return { clause: `where ${clauses.join(' and ')}`, params };
}

/** Failed URLs, most recent first, one row at a time. */
export function iterateFailedUrls(db: Db | SqliteReader, filters: FailedUrlFilters): IterableIterator<FailedUrl> {
  const { clause, params } = where(filters);
  const limit = filters.limit === undefined ? '' : ` limit ${filters.limit}`;
  return sqliteOf(db)
    .prepare(
      `select url, site, reason, http_status as httpStatus, last_error as error, attempts, updated_at as at from crawl_state ${clause} order by updated_at desc, url${limit}`,
    )
    .iterate(...params) as IterableIterator<FailedUrl>;
}

export function countFailedUrls(db: Db | SqliteReader, filters: FailedUrlFilters): number {
  const { clause, params } = where(filters);
  return (sqliteOf(db).prepare(`select count(*) as n from crawl_state ${clause}`).get(...params) as { n: number }).n;
}

/** Failed URLs by reason, most common first. */
export function failedReasons(db: Db | SqliteReader, filters: Omit<FailedUrlFilters, 'reason' | 'limit'>): Array<{ reason: string | null; count: number }> {
  const { clause, params } = where(filters);
  return sqliteOf(db).prepare(`select reason, count(*) as count from crawl_state ${clause} group by reason order by count desc, reason`).all(...params) as Array<{
    reason: string | null;
    count: number;
  }>;
}
