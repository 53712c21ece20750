/**
 * The classes of pages issue 11 names, each as a small page: where dates are written, in which
 * calendar and zone, and which dates are other items'. Each case is a general rule of how the
 * web writes dates, not a copy of a benchmark page.
 */
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { findPublicationDates } from '../../../src/extract/dates/index.ts';

const now = new Date('2024-06-01T00:00:00Z');
const load = (html: string) => cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true } });
const page = (head: string, body: string): string => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
const meta = (property: string, content: string): string => `<meta property="${property}" content="${content}">`;
const find = (html: string, options: { url?: string; timeZone?: string } = {}) => findPublicationDates(load(html), { now, ...options });

describe('Solar Hijri dates in Persian digits, in the article header', () => {
  const header = (dateClass: string) =>
    page(
      '<title>خبر</title>',
      `<div class="top-bar">امروز</div><article><header class="article-header"><h1>افتتاح کتابخانه</h1>` +
        `<div class="${dateClass}">دوشنبه ۱۳ اسفند ۱۳۹۷ - ۱۴:۲۰</div></header><p>${'متن خبر. '.repeat(40)}</p></article>`,
    );

  it('is found in an element whose class says date, like a Latin-digit date', () => {
    expect(find(header('news-date'), { url: 'https://www.example.ir/fa/news/1' }).published).toMatchObject({
      value: '2019-03-04T14:20:00',
      precision: 'minute',
      raw: 'دوشنبه ۱۳ اسفند ۱۳۹۷ - ۱۴:۲۰',
    });
  });

  it('takes the site profile zone for its wall time', () => {
    expect(find(header('date'), { timeZone: 'Asia/Tehran' }).published?.value).toBe('2019-03-04T14:20:00+03:30');
  });
});

describe('UTC stamps in the publisher time, from evidence on the page only', () => {
  it('takes the offset of the same instant written as a visible local time', () => {
    const html = page(meta('article:published_time', '2023-11-09T05:30:59Z'), '<h1>T</h1><p class="byline">November 8, 2023 at 11:30 p.m.</p>');
    const { published } = find(html);
    expect(published?.value).toBe('2023-11-08T23:30:59-06:00');
    expect(published?.utc).toBe('2023-11-09T05:30:59Z');
    expect(published?.raw).toContain('November 8, 2023 at 11:30 p.m.');
  });

  it('takes the one zone of a single-zone country domain, and says so', () => {
    const html = page(meta('article:published_time', '2021-11-04T23:00Z'), '<h1>T</h1>');
    const { published } = find(html, { url: 'https://www.kas.de/de/laenderberichte/detail/x' });
    expect(published?.value).toBe('2021-11-05T00:00:00+01:00');
    expect(published?.raw).toBe('2021-11-04T23:00Z (UTC; in Europe/Berlin, the one zone of .de)');
  });

  it("takes the one offset of the page's other stamps", () => {
    const html = page(meta('article:published_time', '2022-06-30T23:30:00Z') + meta('article:modified_time', '2022-07-02T10:00:00+02:00'), '<h1>T</h1>');
    expect(find(html, { url: 'https://news.example.com/a' }).published?.value).toBe('2022-07-01T01:30:00+02:00');
  });

  it('gives only the day when the page shows the local day (its URL) and nothing gives the zone', () => {
    const html = page(meta('article:published_time', '2018-12-31T23:11:59+00:00'), '<h1>T</h1>');
    const { published } = find(html, { url: 'https://blog.example.com/2019/01/01/new-year/' });
    expect(published).toMatchObject({ value: '2019-01-01', precision: 'day', utc: '2018-12-31T23:11:59Z' });
    expect(published?.raw).toContain('the URL');
  });

  it('never invents a zone: a stamp with no evidence stays in UTC', () => {
    const html = page(meta('article:published_time', '2023-11-01T23:01:00Z'), '<h1>T</h1>');
    expect(find(html, { url: 'https://www.example.com/story' }).published).toMatchObject({
      value: '2023-11-01T23:01:00+00:00',
      raw: '2023-11-01T23:01:00Z',
    });
  });

  it('keeps the UTC day when the page shows that day (a local time mislabelled as UTC)', () => {
    const html = page(meta('article:published_time', '2019-12-26T23:07:45+00:00'), '<h1>T</h1><span class="date">26/12/2019</span>');
    expect(find(html, { url: 'https://www.example.ch/?p=1' }).published?.value.slice(0, 10)).toBe('2019-12-26');
  });
});

describe('dates that live in the URL or in a blog date header', () => {
  it('reads the day from the URL when the page has no other date', () => {
    expect(find(page('<title>Post</title>', '<h1>Post</h1><p>Text.</p>'), { url: 'https://blog.example.org/2018/08/12/post/' }).published?.value).toBe(
      '2018-08-12',
    );
  });

  it("prefers the URL's day to a machine date that contradicts it (a re-stamped page)", () => {
    const html = page(meta('article:published_time', '2019-06-17T18:28:00+02:00'), '<h1>T</h1>');
    expect(find(html, { url: 'https://www.example.de/home/2017/7/12/post' }).published?.value).toBe('2017-07-12');
  });

  it('reads the date header a blog prints above the post', () => {
    const html = page(
      '<title>Blog</title>',
      '<div class="blog-posts"><h2 class="date-header"><span>Tuesday, March 5, 2019</span></h2>' +
        `<div class="post"><h3 class="post-title">A post</h3><div class="post-body">${'Words here. '.repeat(30)}</div></div></div>`,
    );
    expect(find(html).published?.value).toBe('2019-03-05');
  });

  it("takes, of a blog post's weak dated lines, the one in the month its URL gives", () => {
    const html = page(
      '<title>Post</title>',
      '<div><p>14. Januar 2012</p><p>Der Bericht über die Sitzung des Ausschusses vom 3. Dezember 2011 ist jetzt vollständig, mit allen Anträgen, den Abstimmungen und den Stellungnahmen der Fraktionen zu den Unterlagen.</p></div>',
    );
    expect(find(html, { url: 'http://www.example.de/news/2011/12/kein-titel/' }).published?.value).toBe('2011-12-03');
    expect(find(html, { url: 'http://www.example.de/news/kein-titel/' }).published?.value).toBe('2012-01-14');
  });

  it('falls back to a weak dated line rather than to nothing', () => {
    const html = page('<title>Front page</title>', '<ul><li><a href="/a">First post</a> <span>August 30, 2017</span></li></ul>');
    expect(find(html).published?.value).toBe('2017-08-30');
  });
});

describe("teaser, related and comment dates are not the article's", () => {
  it('takes the date under the headline, not the dates of related stories or comments', () => {
    const html = page(
      '<title>Story</title>',
      '<article><h1>Story</h1><p class="meta">12. März 2020</p>' +
        `<p>${'Text of the story. '.repeat(30)}</p></article>` +
        '<aside class="related"><ul><li>Other story <span class="date">13. März 2020</span></li><li>Older <span class="date">1. März 2020</span></li></ul></aside>' +
        '<section id="comments"><div class="comment"><span class="date">14. März 2020</span> Nice.</div></section>',
    );
    expect(find(html).published?.value).toBe('2020-03-12');
  });
});

describe('modified and published on live blogs and updated stories', () => {
  it("keeps a live blog's opening date as published, not its entries' or its last update", () => {
    const ld = {
      '@context': 'https://schema.org',
      '@type': 'LiveBlogPosting',
      datePublished: '2021-03-01T08:00:00+01:00',
      dateModified: '2021-03-02T20:00:00+01:00',
      liveBlogUpdate: [
        { '@type': 'BlogPosting', datePublished: '2021-03-02T19:00:00+01:00' },
        { '@type': 'BlogPosting', datePublished: '2021-03-02T20:00:00+01:00' },
      ],
    };
    const { published, modified } = find(page(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`, '<h1>Live</h1>'));
    expect(published?.value).toBe('2021-03-01T08:00:00+01:00');
    expect(modified?.value).toBe('2021-03-02T20:00:00+01:00');
  });

  it('reads an "updated" line as the modification date, not the publication date', () => {
    const html = page(
      '<title>Story</title>',
      '<h1>Story</h1><p class="date">Veröffentlicht am 3. Mai 2019</p><p class="date">Aktualisiert am 9. Mai 2019</p>',
    );
    const { published, modified } = find(html);
    expect(published?.value).toBe('2019-05-03');
    expect(modified?.value).toBe('2019-05-09');
  });

  it('takes the shown date over an older published stamp only when a modification stamp confirms it', () => {
    const body = '<h1>Story</h1><p class="date">03.04.2019</p>';
    const republished = page(meta('article:published_time', '2017-08-21T13:09:00+02:00') + meta('article:modified_time', '2019-04-03T08:04:01+02:00'), body);
    expect(find(republished).published?.value.slice(0, 10)).toBe('2019-04-03');
    const unconfirmed = page(meta('article:published_time', '2017-08-21T13:09:00+02:00'), body);
    expect(find(unconfirmed).published?.value.slice(0, 10)).toBe('2017-08-21');
  });

  it('takes the shown date over generic metadata that contradicts it', () => {
    const html = page('<meta name="date" content="2020-04-29T11:52:23">', '<h1>Story</h1><p class="date">28.04.2020 18:00 Uhr</p>');
    expect(find(html).published?.value).toBe('2020-04-28T18:00:00');
  });

  it('reads an all-numeric date both ways the way the machine date confirms', () => {
    // Month-first by its slashes, "08/11/2023" is read as 8 November because the metadata says so.
    const html = page('<meta name="date" content="2023-11-08">', '<h1>Story</h1><p class="date">08/11/2023</p>');
    expect(find(html).published?.value).toBe('2023-11-08');
  });
});
