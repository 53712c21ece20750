import { describe, expect, it } from 'vitest';
import { PermanentFetchError, PoliteDelayError, RetryableFetchError } from '../../src/fetch/fetch-errors.ts';
import { decideFailure, EXTRACTION_FAILED, ExtractionError, INTERNAL_ERROR, MAX_RATE_LIMIT_DELAYS } from '../../src/queue/failure-policy.ts';

const attempt = (attemptNumber: number, rateLimitDelays = 0) => ({ attemptNumber, maxAttempts: 4, rateLimitDelays });

describe('decideFailure', () => {
  it('fails permanent outcomes at once', () => {
    expect(decideFailure(new PermanentFetchError('http-404', 'HTTP 404'), attempt(1))).toEqual({
      action: 'fail', reason: 'http-404', message: 'HTTP 404', httpStatus: 404,
    });
  });

  it('retries transient faults until the last attempt, then fails', () => {
    const error = new RetryableFetchError('timeout', 'headers timeout');
    expect(decideFailure(error, attempt(1)).action).toBe('retry');
    expect(decideFailure(error, attempt(3)).action).toBe('retry');
    expect(decideFailure(error, attempt(4))).toMatchObject({ action: 'fail', reason: 'timeout', httpStatus: null });
  });

  it('delays politely without counting an attempt', () => {
    expect(decideFailure(new PoliteDelayError('rate-limited', 2000, 'HTTP 429'), attempt(4))).toMatchObject({ action: 'delay', delayMs: 2000 });
  });

  it('stops honouring Retry-After after a few delays: further 429s count as attempts', () => {
    const limited = new PoliteDelayError('rate-limited', 2000, 'HTTP 429');
    expect(decideFailure(limited, attempt(1, MAX_RATE_LIMIT_DELAYS - 1)).action).toBe('delay');
    expect(decideFailure(limited, attempt(1, MAX_RATE_LIMIT_DELAYS)).action).toBe('retry');
    expect(decideFailure(limited, attempt(4, MAX_RATE_LIMIT_DELAYS))).toMatchObject({ action: 'fail', reason: 'rate-limited' });
    // Our own host-busy delays are never capped: the reserved slot always comes.
    expect(decideFailure(new PoliteDelayError('host-busy', 500, 'busy'), attempt(1, 99)).action).toBe('delay');
  });

  it('treats an extractor error (a bug, a corrupt page) as permanent', () => {
    expect(decideFailure(new ExtractionError(new TypeError('x is undefined')), attempt(1))).toEqual({
      action: 'fail', reason: EXTRACTION_FAILED, message: 'x is undefined', httpStatus: null,
    });
  });

  it('retries an error of the worker itself (Redis gone mid-job), never calling it an extraction failure', () => {
    const redisDown = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    expect(decideFailure(redisDown, attempt(1))).toEqual({
      action: 'retry', reason: INTERNAL_ERROR, message: 'connect ECONNREFUSED 127.0.0.1:6379', httpStatus: null,
    });
    expect(decideFailure(redisDown, attempt(4))).toMatchObject({ action: 'fail', reason: INTERNAL_ERROR });
  });
});
