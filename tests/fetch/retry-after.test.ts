import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/fetch/retry-after.ts';

const now = Date.parse('2024-03-28T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date, and a past date as no wait', () => {
    expect(parseRetryAfter('Thu, 28 Mar 2024 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 28 Mar 2024 09:00:00 GMT', now)).toBe(0);
  });

  it('refuses anything else', () => {
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('1.5', now)).toBeNull();
  });
});
