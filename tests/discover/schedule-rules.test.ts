import { describe, expect, it } from 'vitest';
import { nextAdaptiveInterval } from '../../src/discover/adaptive-interval.ts';
import { formatDuration, parseDuration } from '../../src/discover/duration.ts';
import { nextRefreshAt, refreshIsDue } from '../../src/discover/refresh-schedule.ts';
import { announcedFeeds, robotsSitemaps, siteOrigin } from '../../src/discover/site-discovery.ts';
import { detectSourceKind } from '../../src/discover/source-kind.ts';

const H = 3_600_000;

describe('durations', () => {
  it.each([
    ['5s', 5_000],
    ['15m', 900_000],
    ['6h', 6 * H],
    ['7d', 7 * 24 * H],
    ['1h30m', 1.5 * H],
    [' 30S ', 30_000],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '5', 'm5', '1.5h', '0s', '3 parsecs', '-5s'])('refuses %j', (text) => expect(parseDuration(text)).toBeNull());
  it('formats', () => expect([formatDuration(5_000), formatDuration(900_000), formatDuration(1.5 * H)]).toEqual(['5s', '15m', '1h30m']));
});

describe('adaptive interval (Nutch rule)', () => {
  const min = 5 * 60_000;
  const max = 24 * H;
  it('shortens after a change, lengthens after none, keeps after a failure, within bounds', () => {
    expect(nextAdaptiveInterval(H, 'changed', min, max)).toBe(0.8 * H);
    expect(nextAdaptiveInterval(H, 'unchanged', min, max)).toBe(1.4 * H);
    expect(nextAdaptiveInterval(H, 'failed', min, max)).toBe(H);
    expect(nextAdaptiveInterval(min, 'changed', min, max)).toBe(min);
    expect(nextAdaptiveInterval(20 * H, 'unchanged', min, max)).toBe(max);
  });
  it('settles a dormant source at the maximum and a busy one at the minimum', () => {
    let dormant = 15 * 60_000;
    let busy = 15 * 60_000;
    for (let i = 0; i < 30; i++) {
      dormant = nextAdaptiveInterval(dormant, 'unchanged', min, max);
      busy = nextAdaptiveInterval(busy, 'changed', min, max);
    }
    expect([dormant, busy]).toEqual([max, min]);
  });
});

describe('refresh schedule', () => {
  const published = new Date('2024-01-01T00:00:00Z');
  const offsets = [H, 6 * H, 24 * H, 7 * 24 * H];
  it('gives the next check after the last fetch, then never', () => {
    expect(nextRefreshAt(published, new Date('2024-01-01T00:10:00Z'), offsets)?.toISOString()).toBe('2024-01-01T01:00:00.000Z');
    expect(nextRefreshAt(published, new Date('2024-01-01T02:00:00Z'), offsets)?.toISOString()).toBe('2024-01-01T06:00:00.000Z');
    expect(nextRefreshAt(published, new Date('2024-01-09T00:00:00Z'), offsets)).toBeNull();
  });
  it('is due when the source says it changed after our fetch, or its check time has come', () => {
    const now = new Date('2024-01-01T03:00:00Z');
    const known = { fetchedAt: '2024-01-01T00:30:00Z', nextFetchAt: '2024-01-01T06:00:00Z' };
    expect(refreshIsDue(known, null, now)).toBe(false);
    expect(refreshIsDue(known, '2024-01-01T00:00:00Z', now)).toBe(false);
    expect(refreshIsDue(known, '2024-01-01T02:00:00Z', now)).toBe(true);
    expect(refreshIsDue({ ...known, nextFetchAt: '2024-01-01T02:59:00Z' }, null, now)).toBe(true);
    expect(refreshIsDue({ ...known, nextFetchAt: null }, null, now)).toBe(false);
  });
});

describe('source kinds and discovery', () => {
  it.each([
    ['<?xml version="1.0"?><?xml-stylesheet href="x"?><!-- c --><rss version="2.0">', null, 'feed'],
    ['<feed xmlns="http://www.w3.org/2005/Atom">', 'application/xml', 'feed'],
    ['<rdf:RDF xmlns:rdf="x">', null, 'feed'],
    ['<?xml version="1.0"?><urlset>', 'application/octet-stream', 'sitemap'],
    ['<sitemapindex>', null, 'sitemap'],
    ['<!DOCTYPE html><html>', 'text/html', 'page'],
    ['%PDF-1.4', 'application/pdf', null],
  ])('detects %j as %s', (head, type, kind) => expect(detectSourceKind(type, head)).toBe(kind));

  it('reads Sitemap lines of robots.txt and feed links of a home page', () => {
    expect(robotsSitemaps('User-agent: *\nDisallow: /x\nSitemap: https://a.example/s.xml\nsitemap:/news.xml\n', 'https://a.example/robots.txt')).toEqual([
      'https://a.example/s.xml',
      'https://a.example/news.xml',
    ]);
    expect(
      announcedFeeds('<link rel="alternate" type="application/rss+xml" href="/feed"><link rel="alternate" type="text/html" href="/m"><link rel="alternate stylesheet" type="application/atom+xml" href="https://a.example/atom">', 'https://a.example/'),
    ).toEqual(['https://a.example/feed', 'https://a.example/atom']);
    expect(siteOrigin('a.example')).toBe('https://a.example');
    expect(siteOrigin('http://a.example:8080/x')).toBe('http://a.example:8080');
  });
});
