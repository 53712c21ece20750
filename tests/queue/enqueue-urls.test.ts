import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { enqueueUrls, MAX_INVALID_LISTED, parseUrlList, shownInput } from '../../src/queue/enqueue-urls.ts';

describe('parseUrlList', () => {
  it('canonicalizes, dedupes, skips blanks and comments, and explains each invalid line', () => {
    const parsed = parseUrlList([
      '# list',
      'HTTPS://News.Example:443/a?utm_source=x&b=2&a=1#top',
      '',
      'https://news.example/a?a=1&b=2',
      'javascript:alert(1)',
      'https://user:pw@news.example/',
      'news.example/no-scheme',
    ]);
    expect(parsed.urls).toEqual(['https://news.example/a?a=1&b=2']);
    expect(parsed.duplicates).toBe(1);
    expect(parsed.invalid).toEqual([
      { line: 5, input: 'javascript:alert(1)', reason: 'scheme javascript: is not http or https' },
      { line: 6, input: 'https://user:pw@news.example/', reason: 'credentials in URL' },
      { line: 7, input: 'news.example/no-scheme', reason: 'not a URL' },
    ]);
  });
});

describe('invalid input lines', () => {
  it('are echoed cut to 200 characters with control characters escaped', () => {
    expect(shownInput(`  ${'x'.repeat(300)}  `)).toBe(`${'x'.repeat(200)}…`);
    expect(shownInput('bad\u001b[31mred\u0007')).toBe('bad\\x1b[31mred\\x07');
  });

  it('are all counted but at most 1,000 listed, without touching Redis', async () => {
    const config = parseConfig({ REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: 'never-used' });
    const lines = Array.from({ length: 1500 }, (_, i) => `not a url ${i}`);
    const report = await enqueueUrls(config, null as never, null as never, lines, { now: new Date() });
    expect(report.invalidCount).toBe(1500);
    expect(report.invalid).toHaveLength(MAX_INVALID_LISTED);
    expect(report.invalid[999]).toEqual({ line: 1000, input: 'not a url 999', reason: 'not a URL' });
  });
});
