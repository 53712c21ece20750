import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalizeUrl } from '../../src/url/canonicalize.ts';
import { jobIdForUrl } from '../../src/url/job-id.ts';

describe('jobIdForUrl', () => {
  it('is the first 32 hex characters of the sha256 of the canonical URL', () => {
    const url = 'https://example.com/news/1';
    const sha = createHash('sha256').update(url).digest('hex');
    expect(jobIdForUrl(url)).toBe(sha.slice(0, 32));
    expect(jobIdForUrl(url)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('contains no colon (BullMQ refuses such ids)', () => {
    expect(jobIdForUrl('http://a:8080/b:c')).not.toContain(':');
  });

  it('is equal for equivalent URLs and different for different ones', () => {
    const a = jobIdForUrl(canonicalizeUrl('https://Example.com/a?utm_source=x'));
    const b = jobIdForUrl(canonicalizeUrl('https://example.com:443/a#frag'));
    const c = jobIdForUrl(canonicalizeUrl('https://example.com/b'));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});
