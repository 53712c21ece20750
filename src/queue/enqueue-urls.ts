/**
 * Enqueueing URLs: validate and canonicalize, drop duplicates, skip URLs already known, add the
 * rest as fetch jobs whose id is derived from the canonical URL.
 */
import type { RedisClient } from './redis-connection.ts';
import type { Config } from '../config.ts';
import { canonicalizeUrl } from '../url/canonicalize.ts';
import { InvalidUrlError } from '../url/errors.ts';
import { jobIdForUrl } from '../url/job-id.ts';
import type { FetchJobData, FetchValidators } from './job-data.ts';
import { KnownUrls } from './known-urls.ts';
import type { PipelineQueues } from './queues.ts';

export interface InvalidUrlLine {
  /** 1-based position in the input. */
  line: number;
  input: string;
  reason: string;
}

export interface ParsedUrlList {
  /** Canonical URLs, first occurrence order, without duplicates. */
  urls: string[];
  /** Inputs that canonicalized to a URL seen earlier in the same list. */
  duplicates: number;
  invalid: InvalidUrlLine[];
}

/**
 * Turn raw input lines into canonical URLs. Blank lines and lines starting with '#' are
 * skipped (URL list files often carry comments); every other line is a URL or an error.
 */
export function parseUrlList(lines: readonly string[]): ParsedUrlList {
  const seen = new Set<string>();
  const urls: string[] = [];
  const invalid: InvalidUrlLine[] = [];
  let duplicates = 0;
  lines.forEach((raw, index) => {
    const input = raw.trim();
    if (input === '' || input.startsWith('#')) return;
    try {
      const url = canonicalizeUrl(input);
      if (seen.has(url)) {
        duplicates += 1;
        return;
      }
      seen.add(url);
      urls.push(url);
    } catch (error) {
      const reason = error instanceof InvalidUrlError ? error.reason : String(error);
      invalid.push({ line: index + 1, input, reason });
    }
  });
  return { urls, duplicates, invalid };
}

export interface EnqueueReport {
  enqueued: number;
  alreadyKnown: number;
  invalid: InvalidUrlLine[];
}

export interface EnqueueOptions {
  /** Enqueue known URLs again (a re-fetch); their job ids get a time suffix. */
  force?: boolean;
  now: Date;
  /**
   * The last fetch's validators of a URL (from crawl_state, when the database is at hand):
   * they travel in the job so the re-fetch is conditional (If-None-Match / If-Modified-Since).
   */
  validatorsFor?: (url: string) => FetchValidators | null;
}

/** URLs checked and added per Redis round trip: large files stream without one giant command. */
const ENQUEUE_BATCH_SIZE = 500;

export async function enqueueUrls(
  config: Config,
  redis: RedisClient,
  queues: PipelineQueues,
  lines: readonly string[],
  options: EnqueueOptions,
): Promise<EnqueueReport> {
  const parsed = parseUrlList(lines);
  const report: EnqueueReport = { enqueued: 0, alreadyKnown: parsed.duplicates, invalid: parsed.invalid };
  const knownUrls = new KnownUrls(redis, config.QUEUE_PREFIX);
  for (let start = 0; start < parsed.urls.length; start += ENQUEUE_BATCH_SIZE) {
    const batch = parsed.urls.slice(start, start + ENQUEUE_BATCH_SIZE);
    const ids = batch.map(jobIdForUrl);
    const known = options.force ? batch.map(() => false) : await knownUrls.has(ids);
    const unknown = batch.map((url, i) => ({ url, id: ids[i]!, known: known[i] })).filter((u) => !u.known);
    report.alreadyKnown += batch.length - unknown.length;
    if (unknown.length === 0) continue;
    const fresh = options.force ? unknown : await withFreeJobIds(redis, queues, unknown, options.now);
    // Jobs first, then the known-set: a crash in between re-enqueues at worst, never loses a URL.
    if (fresh.length > 0) await queues.fetch.addBulk(
      fresh.map(({ url, id }) => ({
        name: 'fetch',
        // The URL alone (and a re-fetch's validators): the site is derived, the job has a timestamp.
        data: { url, ...(options.validatorsFor?.(url) ?? {}) } satisfies FetchJobData,
        opts: { jobId: options.force ? retryJobId(id, options.now) : id },
      })),
    );
    await knownUrls.add(unknown.map((u) => u.id));
    report.enqueued += unknown.length;
  }
  return report;
}

/** The id of a job that fetches a URL again: its URL's id with the time, so it is new. */
function retryJobId(id: string, now: Date): string {
  return `${id}-${now.getTime()}`;
}

/**
 * URLs outside the known-URL set whose job id is still taken in Redis: a job that ended failed
 * (a failed URL leaves the set, see workers/store-worker.ts, but BullMQ keeps the failed job for
 * inspection and would silently ignore a new job with its id) gets a new id; a job still queued
 * (a crash between adding it and adding it to the set) is not added twice.
 */
async function withFreeJobIds<T extends { url: string; id: string }>(redis: RedisClient, queues: PipelineQueues, urls: T[], now: Date): Promise<T[]> {
  const exists = (await redis.pipeline(urls.map(({ id }) => ['exists', queues.fetch.toKey(id)])).exec()) ?? [];
  const free: T[] = [];
  for (const [i, url] of urls.entries()) {
    if (exists[i]?.[1] !== 1) {
      free.push(url);
      continue;
    }
    const state = await queues.fetch.getJobState(url.id);
    if (state === 'failed' || state === 'completed') free.push({ ...url, id: retryJobId(url.id, now) });
    else if (state === 'unknown') free.push(url);
  }
  return free;
}
