/**
 * The one place that maps a failed attempt to what the queue does with the job (STYLE.md:
 * "errors decide what happens next"): a typed fetch error says permanent, retryable or delay;
 * any other error (an extractor bug, a corrupt page) is permanent, since the same input will
 * fail the same way again.
 */
import { FetchError } from '../fetch/fetch-errors.ts';

export type FailureDecision =
  | { action: 'fail'; reason: string; message: string; httpStatus: number | null }
  | { action: 'retry'; reason: string; message: string; httpStatus: number | null }
  | { action: 'delay'; reason: string; message: string; httpStatus: number | null; delayMs: number };

/** Reason recorded when code past the fetch (extraction, normalization) throws. */
export const EXTRACTION_FAILED = 'extraction-failed';

/**
 * Times one URL may be put off by a host's Retry-After before further 429/503 answers count as
 * failed attempts: a server that says "come back later" forever must not keep a job forever.
 */
export const MAX_RATE_LIMIT_DELAYS = 5;

export interface AttemptHistory {
  /** This attempt's number (1 for the first). */
  attemptNumber: number;
  maxAttempts: number;
  /** Retry-After delays this job has already had. */
  rateLimitDelays: number;
}

export function decideFailure(error: unknown, history: AttemptHistory): FailureDecision {
  const { attemptNumber, maxAttempts } = history;
  if (!(error instanceof FetchError)) {
    const message = error instanceof Error ? error.message : String(error);
    return { action: 'fail', reason: EXTRACTION_FAILED, message, httpStatus: null };
  }
  const httpStatus = httpStatusOf(error.reason);
  const base = { reason: error.reason, message: error.message, httpStatus };
  switch (error.kind) {
    case 'delay':
      if (error.reason === 'rate-limited' && history.rateLimitDelays >= MAX_RATE_LIMIT_DELAYS) {
        return attemptNumber < maxAttempts ? { action: 'retry', ...base } : { action: 'fail', ...base };
      }
      return { action: 'delay', ...base, delayMs: error.retryAfterMs ?? 0 };
    case 'retryable':
      return attemptNumber < maxAttempts ? { action: 'retry', ...base } : { action: 'fail', ...base };
    case 'permanent':
      return { action: 'fail', ...base };
  }
}

function httpStatusOf(reason: string): number | null {
  const match = /^http-(\d{3})$/.exec(reason);
  return match ? Number(match[1]) : null;
}
