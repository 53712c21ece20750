import { describe, expect, it } from 'vitest';
import { PermanentFetchError, PoliteDelayError, RetryableFetchError } from '../../src/fetch/fetch-errors.ts';
import { decideFailure, EXTRACTION_FAILED } from '../../src/queue/failure-policy.ts';

describe('decideFailure', () => {
  it('fails permanent outcomes at once', () => {
    expect(decideFailure(new PermanentFetchError('http-404', 'HTTP 404'), 1, 4)).toEqual({
      action: 'fail', reason: 'http-404', message: 'HTTP 404', httpStatus: 404,
    });
  });

  it('retries transient faults until the last attempt, then fails', () => {
    const error = new RetryableFetchError('timeout', 'headers timeout');
    expect(decideFailure(error, 1, 4).action).toBe('retry');
    expect(decideFailure(error, 3, 4).action).toBe('retry');
    expect(decideFailure(error, 4, 4)).toMatchObject({ action: 'fail', reason: 'timeout', httpStatus: null });
  });

  it('delays politely without counting an attempt', () => {
    expect(decideFailure(new PoliteDelayError('rate-limited', 2000, 'HTTP 429'), 4, 4)).toMatchObject({ action: 'delay', delayMs: 2000 });
  });

  it('treats any other error (an extractor bug) as permanent', () => {
    expect(decideFailure(new TypeError('x is undefined'), 1, 4)).toEqual({
      action: 'fail', reason: EXTRACTION_FAILED, message: 'x is undefined', httpStatus: null,
    });
  });
});
