import { readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { findPublicationDates } from '../../../src/extract/dates/index.ts';

const now = new Date('2024-03-28T12:00:00Z');
const fixture = readFileSync(new URL('../../fixtures/pages/theiranproject-269797/page.html', import.meta.url), 'utf8');
const expected = JSON.parse(readFileSync(new URL('../../fixtures/pages/theiranproject-269797/expected.json', import.meta.url), 'utf8')) as {
  publishedAt: string;
  publishedPrecision: string;
};

/** Both parsers cheerio may be loaded with: parse5 (default) and htmlparser2. */
const parsers = [
  ['parse5', (html: string) => cheerio.load(html)],
  ['htmlparser2', (html: string) => cheerio.load(html, { xml: { xmlMode: false } })],
] as const;

const page = (head: string, body: string): string => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

describe.each(parsers)('findPublicationDates (%s)', (_name, load) => {
  it('golden: theiranproject, Tehran time, ignoring the header date and related-news dates', () => {
    const { published, modified } = findPublicationDates(load(fixture), { timeZone: 'Asia/Tehran', now });
    expect(published?.value).toBe(expected.publishedAt);
    expect(published?.precision).toBe(expected.publishedPrecision);
    expect(published?.utc).toBe('2017-07-25T18:13:00Z');
    expect(published?.raw).toBe('Tuesday 25 July 2017 - 22:43');
    expect(modified).toBeNull();
  });

  it('reads JSON-LD in an @graph and keeps dateModified apart', () => {
    const ld = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebPage', datePublished: '2015-01-01T00:00:00+00:00' },
        { '@type': 'NewsArticle', datePublished: '2020-02-18T03:25:00+01:00', dateModified: '2020-02-19T10:00:00+01:00' },
      ],
    };
    const $ = load(page(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`, '<h1>T</h1>'));
    const { published, modified } = findPublicationDates($, { now });
    expect(published?.value).toBe('2020-02-18T03:25:00+01:00');
    expect(modified?.value).toBe('2020-02-19T10:00:00+01:00');
  });

  it('reads article:published_time and article:modified_time', () => {
    const $ = load(
      page(
        '<meta property="article:published_time" content="2019-06-28T13:49:45+02:00"><meta property="article:modified_time" content="2019-07-01T08:00:00+02:00">',
        '<h1>T</h1>',
      ),
    );
    const { published, modified } = findPublicationDates($, { now });
    expect(published?.value).toBe('2019-06-28T13:49:45+02:00');
    expect(modified?.value).toBe('2019-07-01T08:00:00+02:00');
  });

  it('shows a UTC meta stamp in the publisher time another machine field gives', () => {
    const $ = load(
      page(
        '<meta property="article:published_time" content="2023-11-09T01:49:09+00:00"><meta name="date" content="2023-11-08 17:49:09">',
        '<h1>T</h1>',
      ),
    );
    expect(findPublicationDates($, { now }).published).toMatchObject({
      value: '2023-11-08T17:49:09-08:00',
      utc: '2023-11-09T01:49:09Z',
    });
  });

  it('reads <time datetime> and itemprop, ignoring times in comments and related lists', () => {
    const $ = load(
      page(
        '',
        `<article><h1>Title</h1><time class="entry-date published" datetime="2021-10-11T14:57:21+02:00">11. Oktober 2021</time><p>Body.</p></article>
         <aside class="related"><time datetime="2021-12-01">1 Dec</time></aside>
         <div class="comments"><time class="published" datetime="2021-12-24">24 Dec</time></div>`,
      ),
    );
    expect(findPublicationDates($, { now }).published?.value).toBe('2021-10-11T14:57:21+02:00');
  });

  it('reads a visible Persian date line near the headline (Solar Hijri, ب.ظ)', () => {
    const $ = load(
      page(
        '',
        `<div class="headerdate">دوشنبه ۸ فروردین ۱۴۰۳</div>
         <h1>عنوان خبر</h1><div class="info"><span class="date-created"> 2 تير 1399 - 12:09:08 ب.ظ</span></div>
         <p>متن خبر</p>`,
      ),
    );
    expect(findPublicationDates($, { timeZone: 'Asia/Tehran', now }).published?.value).toBe('2020-06-22T12:09:08+04:30');
  });

  it('keeps an "updated" line apart from the publication line', () => {
    const $ = load(
      page('', '<h1>Headline</h1><p class="byline">Published: 3 March 2020</p><p class="byline">Updated: 5 March 2020</p><p>Text.</p>'),
    );
    const { published, modified } = findPublicationDates($, { now });
    expect(published?.value).toBe('2020-03-03');
    expect(modified?.value).toBe('2020-03-05');
  });

  it('falls back to the URL (given, else canonical), and keeps Solar Hijri paths Solar Hijri', () => {
    const $ = load(page('<link rel="canonical" href="https://example.com/2017/07/25/story">', '<h1>T</h1><p>No date.</p>'));
    expect(findPublicationDates($, { now }).published?.value).toBe('2017-07-25');
    const $2 = load(page('', '<h1>T</h1><p>No date.</p>'));
    expect(findPublicationDates($2, { now, url: 'https://example.ir/news/1396/05/03/x' }).published?.value).toBe('2017-07-25');
  });

  it('rejects dates in the future and before 1995', () => {
    const $ = load(
      page('<meta property="article:published_time" content="2031-01-01T00:00:00Z">', '<h1>T</h1><p class="date">1 January 1990</p>'),
    );
    expect(findPublicationDates($, { now }).published).toBeNull();
  });

  it('takes the day from where a redirect stub sends the reader, but not from a real page\'s scripts', () => {
    const stub = page(
      '',
      '<p>You will be connected in a moment…</p><script>document.cookie="x=1";location.href="https://example.com/20200428/some-story?a=1";</script>',
    );
    expect(findPublicationDates(load(stub), { now }).published?.value).toBe('2020-04-28');
    const refresh = page('<meta http-equiv="Refresh" content="0; URL=https://example.com/2019/03/04/story/">', '<p>Redirecting…</p>');
    expect(findPublicationDates(load(refresh), { now }).published?.value).toBe('2019-03-04');
    const article = page(
      '',
      `<h1>Headline</h1><p>${'Long article text without any date. '.repeat(30)}</p>
       <script>function go(){location.href="https://example.com/2011/01/01/elsewhere";}</script>`,
    );
    expect(findPublicationDates(load(article), { now }).published).toBeNull();
  });

  it('drops <time>s of related teasers that disagree, but keeps a furniture time that all agree on', () => {
    const related = page(
      '',
      `<h1>Headline</h1><p>Text.</p>
       <aside class="related"><time datetime="2021-12-01">1 Dec</time><time datetime="2021-11-03">3 Nov</time></aside>`,
    );
    expect(findPublicationDates(load(related), { now }).published).toBeNull();
    const own = page('', '<h1>Headline</h1><p>Text.</p><div class="share-bar"><time datetime="2021-12-01T10:00:00+01:00">1 Dec</time></div>');
    expect(findPublicationDates(load(own), { now }).published?.value).toBe('2021-12-01T10:00:00+01:00');
  });

  it('uses the date written most often in the markup only when one day stands out', () => {
    const one = page('', '<h1>T</h1><p>No date.</p><script>var a = "2020/04/17 01:43", b = {"d": "2020-04-17"}, c = "2019-01-02";</script>');
    expect(findPublicationDates(load(one), { now }).published?.value).toBe('2020-04-17');
    const tie = page('', '<h1>T</h1><p>No date.</p><script>var list = ["21.09.2019", "28.09.2019", "2019-09-21", "2019-09-28"];</script>');
    expect(findPublicationDates(load(tie), { now }).published).toBeNull();
  });

  it('shows a UTC stamp in the one time zone the page\'s scripts declare (the publisher\'s local day)', () => {
    const head = '<meta property="article:published_time" content="2020-05-02T02:54:29.000Z">';
    const declared = page(head, '<h1>T</h1><script>window.cfg = {"timezone":{"short":"ET","long":"America/New_York"}};</script>');
    expect(findPublicationDates(load(declared), { now }).published).toMatchObject({
      value: '2020-05-01T22:54:29-04:00',
      utc: '2020-05-02T02:54:29Z',
    });
    // Two zones declared (a widget's and the site's): no way to tell, the stamp stays UTC.
    const two = page(head, '<h1>T</h1><script>var a = {"timezone":"America/New_York"}, b = {"timeZone":"Europe/Berlin"};</script>');
    expect(findPublicationDates(load(two), { now }).published?.value).toBe('2020-05-02T02:54:29+00:00');
    // A site profile's zone wins over the page's.
    expect(findPublicationDates(load(declared), { now, timeZone: 'Europe/Berlin' }).published?.value).toBe('2020-05-02T04:54:29+02:00');
  });

  it('does not take the dates of items nested in the article (its video, its reviews) for its own', () => {
    const ld = {
      '@type': 'NewsArticle',
      datePublished: '2020-03-05T10:00:00+01:00',
      video: { '@type': 'VideoObject', uploadDate: '2017-01-10T08:00:00+01:00' },
      reviews: [
        { '@type': 'Review', datePublished: '2020-04-12' },
        { '@type': 'Review', datePublished: '2020-04-07' },
        { '@type': 'Review', datePublished: '2020-04-07' },
      ],
    };
    const $ = load(page(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`, '<h1>T</h1>'));
    expect(findPublicationDates($, { now }).published?.value).toBe('2020-03-05T10:00:00+01:00');
    const video = page('<script type="application/ld+json">{"@type":"VideoObject","uploadDate":"2019-02-01"}</script>', '<h1>T</h1>');
    expect(findPublicationDates(load(video), { now }).published?.value).toBe('2019-02-01');
    const micro = page(
      '',
      `<div itemscope itemtype="http://schema.org/Recipe"><h1>Cake</h1>
         <div itemprop="video" itemscope itemtype="http://schema.org/VideoObject"><meta itemprop="uploadDate" content="2017-01-10"></div>
         <meta itemprop="datePublished" content="2004-01-01"></div>`,
    );
    expect(findPublicationDates(load(micro), { now }).published?.value).toBe('2004-01-01');
    // A news item nested in an article-typed page item is still the article, not a part.
    const nested = page(
      '',
      `<div itemscope itemtype="http://schema.org/Article"><div itemscope itemtype="http://schema.org/NewsArticle">
         <meta itemprop="datePublished" content="2021-06-01"></div><meta itemprop="dateCreated" content="2022-01-01"></div>`,
    );
    expect(findPublicationDates(load(nested), { now }).published?.value).toBe('2021-06-01');
  });

  it('returns nulls for a page without dates', () => {
    expect(findPublicationDates(load(page('', '<h1>T</h1><p>Nothing.</p>')), { now })).toEqual({ published: null, modified: null });
  });
});
