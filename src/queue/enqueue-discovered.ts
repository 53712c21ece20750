/**
 * Enqueueing what a source run discovered, one batch at a time: new URLs become fetch jobs
 * (deduplicated by the known-URL set, as `ingest enqueue` does); URLs already stored are
 * re-fetched, conditionally, only when the source says they changed after our last fetch
 * (lastmod, Atom updated) or their scheduled refresh is due; everything else costs nothing.
 */
import type { Queue } from 'bullmq';
import type { RedisClient } from './redis-connection.ts';
import type { Db } from '../../db/client.ts';
import type { Config } from '../config.ts';
import type { DiscoveredLink } from '../discover/discovered-link.ts';
import { refreshIsDue } from '../discover/refresh-schedule.ts';
import { lookupKnownLinks } from '../store/known-links.ts';
import { canonicalizeUrl, siteOf } from '../url/canonicalize.ts';
import { jobIdForUrl } from '../url/job-id.ts';
import { enqueueRefetch } from './enqueue-refresh.ts';
import type { FetchJobData } from './job-data.ts';
import { KnownUrls } from './known-urls.ts';

export interface DiscoveryCounts {
  /** Links read from the source (valid URLs, after canonicalization, duplicates once). */
  found: number;
  /** New URLs enqueued. */
  enqueued: number;
  /** Known URLs enqueued again (changed at the source, or refresh due). */
  refreshed: number;
  /** Links skipped because they are not crawlable URLs. */
  invalid: number;
}

export interface DiscoveryDeps {
  config: Config;
  redis: RedisClient;
  fetchQueue: Queue<FetchJobData>;
  db: Db;
  /** The source's URL, carried in each job's hints. */
  sourceUrl: string;
}

export function emptyCounts(): DiscoveryCounts {
  return { found: 0, enqueued: 0, refreshed: 0, invalid: 0 };
}

/** Enqueue one batch of discovered links, adding to `counts`. `seen` dedupes across batches of one run. */
export async function enqueueDiscoveredBatch(
  deps: DiscoveryDeps,
  links: readonly DiscoveredLink[],
  seen: Set<string>,
  counts: DiscoveryCounts,
  now: Date,
): Promise<void> {
  const batch: Array<{ url: string; link: DiscoveredLink }> = [];
  for (const link of links) {
    let url: string;
    try {
      url = canonicalizeUrl(link.url);
    } catch {
      counts.invalid += 1;
      continue;
    }
    if (seen.has(url)) continue;
    seen.add(url);
    batch.push({ url, link });
  }
  counts.found += batch.length;
  if (batch.length === 0) return;
  const known = lookupKnownLinks(deps.db, batch.map((b) => b.url));
  const unseen = batch.filter((b) => !known.has(b.url));
  for (const { url, link } of batch) {
    const state = known.get(url);
    if (!state || !refreshIsDue(state, link.updatedAt, now)) continue;
    const result = await enqueueRefetch(deps.config, deps.redis, deps.fetchQueue, url, state, now, hintsOf(link, deps.sourceUrl));
    if (result === 'enqueued') counts.refreshed += 1;
  }
  if (unseen.length === 0) return;
  const ids = unseen.map((b) => jobIdForUrl(b.url));
  const knownUrls = new KnownUrls(deps.redis, deps.config.QUEUE_PREFIX);
  const inSet = await knownUrls.has(ids);
  const fresh = unseen.map((b, i) => ({ ...b, id: ids[i]! })).filter((_, i) => !inSet[i]);
  if (fresh.length === 0) return;
  // Jobs first, then the known-set: a crash in between re-enqueues at worst, never loses a URL.
  await deps.fetchQueue.addBulk(
    fresh.map(({ url, id, link }) => ({
      name: 'fetch',
      data: { url, site: siteOf(url), enqueuedAt: now.toISOString(), hints: hintsOf(link, deps.sourceUrl) } satisfies FetchJobData,
      opts: { jobId: id },
    })),
  );
  await knownUrls.add(fresh.map((f) => f.id));
  counts.enqueued += fresh.length;
}

function hintsOf(link: DiscoveredLink, source: string): NonNullable<FetchJobData['hints']> {
  return { publishedAt: link.publishedAt, title: link.title, source };
}
