import { describe, expect, it } from 'vitest';
import { allowAllRobots, parseRobots, robotsAgentToken, robotsUrlFor } from '../../src/fetch/robots.ts';

const UA = 'ArticleIngest/0.1 (+https://example.org/bot)';
const ROBOTS = `
# comments are ignored
User-agent: *
Disallow: /private/
Disallow: /*.pdf$
Allow: /private/open/
Crawl-delay: 2

User-agent: ArticleIngest
Disallow: /no-ingest/
Crawl-delay: 0.5

User-agent: BadBot
Disallow: /

Sitemap: https://news.example/sitemap.xml
`;

describe('parseRobots', () => {
  const rules = parseRobots('https://news.example/robots.txt', ROBOTS);

  it('applies the group of our product token', () => {
    expect(rules.isAllowed('https://news.example/no-ingest/1', UA)).toBe(false);
    expect(rules.isAllowed('https://news.example/private/1', UA)).toBe(true); // not in our group
    expect(rules.crawlDelayMs(UA)).toBe(500);
  });

  it('falls back to * for other agents', () => {
    const other = 'OtherBot/2.0';
    expect(rules.isAllowed('https://news.example/private/1', other)).toBe(false);
    expect(rules.isAllowed('https://news.example/private/open/1', other)).toBe(true);
    expect(rules.isAllowed('https://news.example/file.pdf', other)).toBe(false);
    expect(rules.isAllowed('https://news.example/file.pdf?x=1', other)).toBe(true);
    expect(rules.isAllowed('https://news.example/news/1', other)).toBe(true);
    expect(rules.crawlDelayMs(other)).toBe(2000);
  });

  it('matches agents case-insensitively and inside a browser-like User-Agent', () => {
    expect(rules.isAllowed('https://news.example/a', 'Mozilla/5.0 (compatible; BADBOT/1.1)')).toBe(false);
    expect(rules.isAllowed('https://news.example/no-ingest/x', 'Mozilla/5.0 (compatible; articleingest/3)')).toBe(false);
  });

  it('accepts any URL of the origin as the robots URL', () => {
    const fromPage = parseRobots('https://news.example/some/article?id=1', ROBOTS);
    expect(fromPage.isAllowed('https://news.example/no-ingest/1', UA)).toBe(false);
  });

  it('does not govern other origins', () => {
    expect(rules.isAllowed('https://other.example/no-ingest/1', UA)).toBe(true);
    expect(rules.isAllowed('http://news.example/no-ingest/1', UA)).toBe(true);
  });

  it('lists sitemaps', () => {
    expect(rules.sitemaps()).toEqual(['https://news.example/sitemap.xml']);
  });

  it('treats an empty file as no rules and no delay', () => {
    const empty = parseRobots('https://news.example/robots.txt', '');
    expect(empty.isAllowed('https://news.example/anything', UA)).toBe(true);
    expect(empty.crawlDelayMs(UA)).toBeNull();
  });

  it('ignores a malformed Crawl-delay', () => {
    const odd = parseRobots('https://news.example/robots.txt', 'User-agent: *\nCrawl-delay: soon\n');
    expect(odd.crawlDelayMs(UA)).toBeNull();
  });

  it('honours Disallow: / for everything', () => {
    const closed = parseRobots('https://news.example/robots.txt', 'User-agent: *\nDisallow: /\n');
    expect(closed.isAllowed('https://news.example/', UA)).toBe(false);
    expect(closed.isAllowed('https://news.example/news/1', UA)).toBe(false);
  });

  it('matches percent-encoded and unencoded paths alike', () => {
    const encoded = parseRobots('https://news.example/robots.txt', 'User-agent: *\nDisallow: /caf%C3%A9/\n');
    expect(encoded.isAllowed('https://news.example/café/1', UA)).toBe(false);
  });
});

describe('allowAllRobots', () => {
  it('allows everything without delay', () => {
    const rules = allowAllRobots();
    expect(rules.isAllowed('https://news.example/private/', UA)).toBe(true);
    expect(rules.crawlDelayMs(UA)).toBeNull();
    expect(rules.sitemaps()).toEqual([]);
  });
});

describe('robotsUrlFor', () => {
  it('keeps scheme, host and port', () => {
    expect(robotsUrlFor('https://news.example:8443/a/b?c#d')).toBe('https://news.example:8443/robots.txt');
    expect(robotsUrlFor('http://127.0.0.1:3000/x')).toBe('http://127.0.0.1:3000/robots.txt');
  });
});

describe('robotsAgentToken', () => {
  it.each([
    ['ArticleIngest/0.1 (+https://example.org/bot)', 'ArticleIngest'],
    ['Mozilla/5.0 (compatible; ArticleIngest/1.0; +https://x)', 'ArticleIngest'],
    ['Mozilla/5.0 (X11; Linux) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36', 'Mozilla'],
    ['article-ingest', 'article-ingest'],
    ['', '*'],
  ])('%s → %s', (userAgent, token) => {
    expect(robotsAgentToken(userAgent)).toBe(token);
  });
});
