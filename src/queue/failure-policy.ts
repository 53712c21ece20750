/**
 * The one place that maps a failed attempt to what the queue does with the job (STYLE.md:
 * "errors decide what happens next"): a typed fetch error says permanent, retryable or delay;
 * an error of the extractor (a bug, a corrupt page) is permanent, since the same input will
 * fail the same way again; any other error (Redis gone mid-job, the store queue unreachable)
 * says nothing about the page and is retried like a transient fault.
 */
import { FetchError } from '../fetch/fetch-errors.ts';

export type FailureDecision =
  | { action: 'fail'; reason: string; message: string; httpStatus: number | null }
  | { action: 'retry'; reason: string; message: string; httpStatus: number | null }
  | { action: 'delay'; reason: string; message: string; httpStatus: number | null; delayMs: number };

/** Reason recorded when code past the fetch (extraction, normalization) throws. */
export const EXTRACTION_FAILED = 'extraction-failed';

/** Reason recorded when the worker itself failed around the fetch (Redis, the store queue). */
export const INTERNAL_ERROR = 'internal-error';

/** An error thrown by the extractor: the page's own fault, so permanent. */
export class ExtractionError extends Error {
  override readonly name = 'ExtractionError';
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * Times one URL may be put off by a host's Retry-After before further 429/503 answers count as
 * failed attempts: a server that says "come back later" forever must not keep a job forever.
 */
export const MAX_RATE_LIMIT_DELAYS = 5;

export interface AttemptHistory {
  /** This attempt's number (1 for the first). */
  attemptNumber: number;
  /** The job's own `attempts` (what BullMQ enforces): the one source of the retry limit. */
  maxAttempts: number;
  /** Retry-After delays this job has already had. */
  rateLimitDelays: number;
}

export function decideFailure(error: unknown, history: AttemptHistory): FailureDecision {
  const { attemptNumber, maxAttempts } = history;
  if (error instanceof ExtractionError) {
    return { action: 'fail', reason: EXTRACTION_FAILED, message: error.message, httpStatus: null };
  }
  if (!(error instanceof FetchError)) {
    const message = error instanceof Error ? error.message : String(error);
    const base = { reason: INTERNAL_ERROR, message, httpStatus: null };
    return attemptNumber < maxAttempts ? { action: 'retry', ...base } : { action: 'fail', ...base };
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
