import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/serve/api-error.ts';
import { decodeCursor, encodeCursor, filterFingerprint } from '../../src/serve/cursor.ts';
import { chartSeries, renderDailyChart } from '../../src/serve/html/daily-chart.ts';
import { markedToHtml } from '../../src/serve/html/escape.ts';
import { textDirection } from '../../src/serve/html/layout.ts';
import { formatPublisherDate } from '../../src/serve/html/publisher-date.ts';
import { renderVersionDiff } from '../../src/serve/html/version-diff.ts';
import { parseDateBound, singleValues } from '../../src/serve/request-params.ts';
import { MATCH_END, MATCH_START } from '../../src/store/article-listing.ts';

describe('date bounds', () => {
  it.each([
    ['since', '2019-03-04', '2019-03-04T00:00:00Z'],
    ['until', '2019-03-04', '2019-03-05T00:00:00Z'],
    ['until', '2019-12-31', '2020-01-01T00:00:00Z'],
    ['since', '2017-07-25T22:43:00+04:30', '2017-07-25T18:13:00Z'],
    ['since', '2017-07-25T22:43+04:30', '2017-07-25T18:13:00Z'],
    ['until', '2017-07-25T18:13:00.250Z', '2017-07-25T18:13:01Z'],
    ['since', '2017-07-25t18:13:00z', '2017-07-25T18:13:00Z'],
  ] as const)('%s=%s is the stored instant %s', (name, value, expected) => {
    expect(parseDateBound(name, value)).toBe(expected);
  });

  it.each(['2019-02-29', '2019-13-01', '2019-03-04T24:00:00Z', '2019-03-04T10:00', 'last week', '04/03/2019'])('refuses %s', (value) => {
    expect(() => parseDateBound('since', value)).toThrow(ApiError);
  });

  it('names what is missing from an instant without an offset', () => {
    expect(() => parseDateBound('until', '2019-03-04T10:00')).toThrow(/needs its UTC offset/);
  });
});

describe('parameters and cursors', () => {
  it('treats empty form fields as absent and refuses unknown names', () => {
    expect(singleValues({ q: ['oil'], site: [''] }, ['q', 'site'])).toEqual({ q: 'oil', site: undefined });
    expect(() => singleValues({ qq: ['x'] }, ['q'])).toThrow(/unknown parameter "qq"/);
  });

  it('round-trips a cursor and refuses it for other filters or when tampered with', () => {
    const isPair = (v: readonly unknown[]): v is [string | null, number] => v.length === 2 && Number.isInteger(v[1]);
    const fingerprint = filterFingerprint({ site: 'a', limit: 20 });
    const cursor = encodeCursor(['2019-03-04T06:30:00Z', 17], fingerprint);
    expect(decodeCursor(cursor, fingerprint, isPair)).toEqual(['2019-03-04T06:30:00Z', 17]);
    expect(() => decodeCursor(cursor, filterFingerprint({ site: 'b', limit: 20 }), isPair)).toThrow(/other filters/);
    expect(() => decodeCursor(Buffer.from('{not json').toString('base64url'), fingerprint, isPair)).toThrow(ApiError);
    expect(() => decodeCursor(encodeCursor(['x', 1.5], fingerprint), fingerprint, isPair)).toThrow(/not one this server made/);
  });
});

describe('HTML pieces', () => {
  it('shows dates in the zone the publisher gave', () => {
    expect(formatPublisherDate('2017-07-25T22:43:00+04:30')).toBe('25 Jul 2017, 22:43 (UTC+04:30)');
    expect(formatPublisherDate('2024-03-28T10:00:00Z')).toBe('28 Mar 2024, 10:00 (UTC)');
    expect(formatPublisherDate('2019-03-04')).toBe('4 Mar 2019');
    expect(formatPublisherDate('2019-03-04T10:00')).toBe('4 Mar 2019, 10:00 (local time, zone not stated)');
    expect(formatPublisherDate('yesterday')).toBe('yesterday');
  });

  it('lays Persian and Arabic out right to left, anything else by its own text', () => {
    expect(textDirection('fa')).toBe('lang="fa" dir="rtl"');
    expect(textDirection('ar-EG')).toBe('lang="ar-EG" dir="rtl"');
    expect(textDirection('en')).toBe('lang="en" dir="auto"');
    expect(textDirection(null)).toBe('dir="auto"');
  });

  it('escapes snippets before marking the matches', () => {
    expect(markedToHtml(`a <b> ${MATCH_START}oil${MATCH_END} & gas`)).toBe('a &lt;b&gt; <mark>oil</mark> &amp; gas');
  });

  it('diffs versions word by word, escaped', () => {
    expect(renderVersionDiff('Oil rose <fast>.', 'Oil fell <fast>.')).toBe('<div class="diff">Oil <del>rose</del><ins>fell</ins> &lt;fast&gt;.</div>');
    expect(renderVersionDiff('same', 'same')).toContain('same');
  });

  it('draws one bar segment per site and day, with every day on the axis range', () => {
    const svg = renderDailyChart([
      { site: 'a.example', day: '2024-01-01', count: 3 },
      { site: 'b.example', day: '2024-01-01', count: 1 },
      { site: 'a.example', day: '2024-01-04', count: 2 },
    ]);
    expect(svg.match(/<rect x=/g)).toHaveLength(3);
    expect(svg).toContain('<title>2024-01-04 a.example: 2</title>');
    expect(svg).toContain('from 2024-01-01 to 2024-01-04');
    expect(renderDailyChart([])).toContain('No dated articles');
  });

  it('groups sites beyond the palette as "other sites"', () => {
    const counts = Array.from({ length: 10 }, (_, i) => ({ site: `s${i}.example`, day: '2024-01-01', count: 10 - i }));
    const series = chartSeries(counts);
    expect(series).toHaveLength(7);
    expect(series.at(-1)!.site).toBe('other sites');
    expect(new Set(series.map((s) => s.colour)).size).toBe(7);
  });
});
