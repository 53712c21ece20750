/**
 * Enqueueing URLs: validate and canonicalize, drop duplicates, skip URLs already known, add the
 * rest as fetch jobs whose id is derived from the canonical URL. Input of any length is taken as
 * a stream of lines and enqueued in batches, so memory stays constant however long the list is.
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
  /** The line as shown to a person: cut to INVALID_INPUT_SHOWN_CHARS, control characters escaped. */
  input: string;
  reason: string;
}

/** Characters of an invalid line echoed back: enough to recognise it, never a flood. */
export const INVALID_INPUT_SHOWN_CHARS = 200;

/** Invalid lines listed one by one; beyond this only their number is reported. */
export const MAX_INVALID_LISTED = 1_000;

export interface ParsedUrlList {
  /** Canonical URLs, first occurrence order, without duplicates. */
  urls: string[];
  /** Inputs that canonicalized to a URL seen earlier in the same list. */
  duplicates: number;
  invalid: InvalidUrlLine[];
}

/** One input line as a URL, nothing (blank or # comment), or the reason it is not one. */
export type ParsedLine = { kind: 'skip' } | { kind: 'url'; url: string } | { kind: 'invalid'; reason: string };

/**
 * Blank lines and lines starting with '#' are skipped (URL list files often carry comments);
 * every other line is a URL or an error.
 */
export function parseUrlLine(raw: string): ParsedLine {
  const input = raw.trim();
  if (input === '' || input.startsWith('#')) return { kind: 'skip' };
  try {
    return { kind: 'url', url: canonicalizeUrl(input) };
  } catch (error) {
    return { kind: 'invalid', reason: error instanceof InvalidUrlError ? error.reason : String(error) };
  }
}

/** Turn raw input lines into canonical URLs (a list held in memory: small inputs, tests). */
export function parseUrlList(lines: readonly string[]): ParsedUrlList {
  const seen = new Set<string>();
  const urls: string[] = [];
  const invalid: InvalidUrlLine[] = [];
  let duplicates = 0;
  lines.forEach((raw, index) => {
    const parsed = parseUrlLine(raw);
    if (parsed.kind === 'skip') return;
    if (parsed.kind === 'invalid') {
      invalid.push({ line: index + 1, input: shownInput(raw), reason: parsed.reason });
      return;
    }
    if (seen.has(parsed.url)) {
      duplicates += 1;
      return;
    }
    seen.add(parsed.url);
    urls.push(parsed.url);
  });
  return { urls, duplicates, invalid };
}

/** C0 and C1 control characters and DEL: never echoed raw to a terminal. */
const CONTROL_CHARACTER = /[\u0000-\u001F\u007F-\u009F]/g;

/** An input line as it is safe to show: trimmed, control characters escaped, cut to 200 characters. */
export function shownInput(raw: string): string {
  const trimmed = raw.trim();
  const cut = trimmed.length > INVALID_INPUT_SHOWN_CHARS ? `${trimmed.slice(0, INVALID_INPUT_SHOWN_CHARS)}…` : trimmed;
  return cut.replace(CONTROL_CHARACTER, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export interface EnqueueReport {
  enqueued: number;
  /** Already enqueued once (or repeated in this input): not added again. */
  alreadyKnown: number;
  /** With force: still waiting, delayed or running, so the coming fetch is the re-fetch. */
  alreadyQueued: number;
  /** Every invalid line counted; the first MAX_INVALID_LISTED listed in `invalid`. */
  invalidCount: number;
  invalid: InvalidUrlLine[];
  /** Lines read from the input. */
  lines: number;
}

export interface EnqueueOptions {
  /** Enqueue known URLs again (a re-fetch), unless a job of the URL is still waiting or running. */
  force?: boolean;
  now: Date;
  /**
   * The last fetch's validators of a URL (from crawl_state, when the database is at hand):
   * they travel in the job so the re-fetch is conditional (If-None-Match / If-Modified-Since).
   */
  validatorsFor?: (url: string) => FetchValidators | null;
  /** Called after each batch with the report so far (progress). */
  onBatch?: (report: Readonly<EnqueueReport>) => void;
}

/** URLs checked and added per Redis round trip: large files stream without one giant command. */
const ENQUEUE_BATCH_SIZE = 500;

/** Job states in which a job is still to run: a forced re-fetch of such a URL adds nothing. */
const PENDING_STATES: ReadonlySet<string> = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

/**
 * The job id of a forced re-fetch. One per URL, so forcing a URL twice before it is fetched
 * adds one job, not two; a finished forced job is removed before the next force re-adds it.
 */
export function forcedJobId(id: string): string {
  return `${id}-force`;
}

/**
 * Enqueue the URLs of a stream of lines, batch by batch. While one batch is in Redis the next is
 * read and canonicalized (the two overlap; a batch's Redis work starts only once the one before
 * it is done, so it sees that batch's URLs as known).
 */
export async function enqueueUrls(
  config: Config,
  redis: RedisClient,
  queues: PipelineQueues,
  lines: Iterable<string> | AsyncIterable<string>,
  options: EnqueueOptions,
): Promise<EnqueueReport> {
  const report: EnqueueReport = { enqueued: 0, alreadyKnown: 0, alreadyQueued: 0, invalidCount: 0, invalid: [], lines: 0 };
  // Duplicates are dropped within a batch here, and across batches by the known-URL set (or,
  // forced, by the one forced job id per URL): nothing grows with the input.
  let batch = new Set<string>();
  let inRedis: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (batch.size === 0) return;
    const urls = [...batch];
    batch = new Set();
    await inRedis;
    inRedis = enqueueBatch(config, redis, queues, urls, options, report).then(() => options.onBatch?.(report));
    // A failure is thrown where it is awaited: at the next batch, or at the end.
    inRedis.catch(() => undefined);
  };
  for await (const raw of lines) {
    report.lines += 1;
    const parsed = parseUrlLine(raw);
    if (parsed.kind === 'skip') continue;
    if (parsed.kind === 'invalid') {
      report.invalidCount += 1;
      if (report.invalid.length < MAX_INVALID_LISTED) report.invalid.push({ line: report.lines, input: shownInput(raw), reason: parsed.reason });
      continue;
    }
    if (batch.has(parsed.url)) {
      report.alreadyKnown += 1;
      continue;
    }
    batch.add(parsed.url);
    if (batch.size >= ENQUEUE_BATCH_SIZE) await flush();
  }
  await flush();
  await inRedis;
  options.onBatch?.(report);
  return report;
}

async function enqueueBatch(
  config: Config,
  redis: RedisClient,
  queues: PipelineQueues,
  urls: readonly string[],
  options: EnqueueOptions,
  report: EnqueueReport,
): Promise<void> {
  const ids = urls.map(jobIdForUrl);
  const fresh = options.force
    ? await forcedCandidates(queues, urls, ids, report)
    : await unknownCandidates(config, redis, queues, urls, ids, options.now, report);
  if (fresh.length === 0) return;
  // Jobs first, then the known-set: a crash in between re-enqueues at worst, never loses a URL.
  await queues.fetch.addBulk(
    fresh.map(({ url, jobId }) => ({
      name: 'fetch',
      // The URL alone (and a re-fetch's validators): the site is derived, the job has a timestamp.
      data: { url, ...(options.validatorsFor?.(url) ?? {}) } satisfies FetchJobData,
      opts: { jobId },
    })),
  );
  await new KnownUrls(redis, config.QUEUE_PREFIX).add(fresh.map((u) => u.id));
  report.enqueued += fresh.length;
}

interface Candidate {
  url: string;
  /** The URL's id (the known-URL set's member). */
  id: string;
  /** The id of the job to add. */
  jobId: string;
}

/** The id of a job that fetches a URL again after its first job ended: its URL's id with the time, so it is new. */
function retryJobId(id: string, now: Date): string {
  return `${id}-${now.getTime()}`;
}

/** URLs not in the known-URL set, with a job id that is free (see withFreeJobIds). */
async function unknownCandidates(
  config: Config,
  redis: RedisClient,
  queues: PipelineQueues,
  urls: readonly string[],
  ids: readonly string[],
  now: Date,
  report: EnqueueReport,
): Promise<Candidate[]> {
  const knownUrls = new KnownUrls(redis, config.QUEUE_PREFIX);
  const states = await knownUrls.lookup(ids, ids.map((id) => queues.fetch.toKey(id)));
  const unknown = urls.map((url, i) => ({ url, id: ids[i]!, jobId: ids[i]!, state: states[i] })).filter((u) => u.state !== 'known');
  report.alreadyKnown += urls.length - unknown.length;
  const taken = unknown.filter((u) => u.state === 'job-exists');
  if (taken.length === 0) return unknown;
  // Rare (a crash between the jobs and the record, or a failed URL enqueued again): in input order.
  const free = new Map((await withFreeJobIds(queues, knownUrls, taken, now, report)).map((u) => [u.id, u]));
  return unknown.flatMap((u) => (u.state === 'unknown' ? [u] : free.has(u.id) ? [free.get(u.id)!] : []));
}

/**
 * URLs outside the known-URL set whose job id is still taken in Redis: a job that ended failed
 * (a failed URL leaves the set, see workers/store-worker.ts, but BullMQ keeps the failed job for
 * inspection and would silently ignore a new job with its id) gets a new id; a job still queued
 * (a crash between adding it and adding it to the set) is not added twice.
 */
async function withFreeJobIds(
  queues: PipelineQueues,
  knownUrls: KnownUrls,
  urls: Candidate[],
  now: Date,
  report: EnqueueReport,
): Promise<Candidate[]> {
  const free: Candidate[] = [];
  const queued: Candidate[] = [];
  for (const url of urls) {
    const state = await queues.fetch.getJobState(url.id);
    if (state === 'failed' || state === 'completed') free.push({ ...url, jobId: retryJobId(url.id, now) });
    else if (state === 'unknown') free.push(url);
    else queued.push(url);
  }
  if (queued.length > 0) {
    // Still queued: remembered as known again, not added twice.
    await knownUrls.add(queued.map((u) => u.id));
    report.alreadyQueued += queued.length;
  }
  return free;
}

/**
 * Forced: every URL, except those whose first job or forced job is still pending. A finished
 * forced job (kept a while for inspection) is removed so its id can be used again.
 */
async function forcedCandidates(queues: PipelineQueues, urls: readonly string[], ids: readonly string[], report: EnqueueReport): Promise<Candidate[]> {
  const states = await Promise.all(ids.map((id) => Promise.all([queues.fetch.getJobState(id), queues.fetch.getJobState(forcedJobId(id))])));
  const fresh: Candidate[] = [];
  for (let i = 0; i < urls.length; i++) {
    const [first, forced] = states[i]!;
    if (PENDING_STATES.has(first) || PENDING_STATES.has(forced)) {
      report.alreadyQueued += 1;
      continue;
    }
    if (forced !== 'unknown') await queues.fetch.remove(forcedJobId(ids[i]!));
    fresh.push({ url: urls[i]!, id: ids[i]!, jobId: forcedJobId(ids[i]!) });
  }
  return fresh;
}
