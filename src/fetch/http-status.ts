/**
 * What an HTTP status and its headers mean for the next step, shared by the page fetch and the
 * source (feed, sitemap) fetch: follow a redirect, wait as the host asks, retry later, or give up.
 */
import type { Dispatcher } from 'undici';
import { PermanentFetchError, PoliteDelayError, RetryableFetchError } from './fetch-errors.ts';
import { parseRetryAfter } from './retry-after.ts';

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** HTTP statuses worth another try later: the server may recover (RFC 9110 and common practice). */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524]);

/** Statuses whose Retry-After means "this host, not this URL, is to wait". */
const RATE_LIMIT_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Longest Retry-After honoured: a server asking for a week is treated as down, not obeyed. */
const MAX_RETRY_AFTER_MS = 6 * 3600 * 1000;

/** The typed error of a non-2xx, non-redirect status (Retry-After read against `nowMs`). */
export function statusError(status: number, retryAfter: string | null, nowMs: number) {
  const waitMs = retryAfter === null ? null : parseRetryAfter(retryAfter, nowMs);
  if (RATE_LIMIT_STATUSES.has(status) && waitMs !== null && waitMs <= MAX_RETRY_AFTER_MS) {
    return new PoliteDelayError('rate-limited', waitMs, `HTTP ${status}: the host asks to retry after ${Math.ceil(waitMs / 1000)} s`);
  }
  if (RETRYABLE_STATUSES.has(status)) return new RetryableFetchError(`http-${status}`, `HTTP ${status}`);
  return new PermanentFetchError(`http-${status}`, `HTTP ${status}`);
}

/** One header's value (the first, when a server repeats it), or null. */
export function header(headers: Dispatcher.ResponseData['headers'], name: string): string | null {
  const value = headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}
