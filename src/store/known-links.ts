/**
 * What the database already knows of discovered links: one query per batch, so a 50,000-URL
 * sitemap costs a hundred lookups, not 50,000.
 */
import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { crawlState } from '../../db/schema.ts';
import type { FetchValidators } from '../queue/job-data.ts';

export interface KnownLink extends FetchValidators {
  status: string;
  fetchedAt: string | null;
  nextFetchAt: string | null;
}

/** SQLite's default limit on bound parameters is 32,766; batches stay far below it. */
const LOOKUP_CHUNK = 900;

export function lookupKnownLinks(db: Db, urls: readonly string[]): Map<string, KnownLink> {
  const known = new Map<string, KnownLink>();
  for (let start = 0; start < urls.length; start += LOOKUP_CHUNK) {
    const rows = db
      .select({
        url: crawlState.url,
        status: crawlState.status,
        fetchedAt: crawlState.fetchedAt,
        nextFetchAt: crawlState.nextFetchAt,
        etag: crawlState.etag,
        lastModified: crawlState.lastModified,
        contentHash: crawlState.contentHash,
      })
      .from(crawlState)
      .where(inArray(crawlState.url, urls.slice(start, start + LOOKUP_CHUNK) as string[]))
      .all();
    for (const { url, ...rest } of rows) known.set(url, rest);
  }
  return known;
}
