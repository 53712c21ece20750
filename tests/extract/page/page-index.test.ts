import { readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import { describe, expect, it } from 'vitest';
import { parseDateText } from '../../../src/normalize/date-text.ts';
import { findStoryCodeInText } from '../../../src/normalize/story-code.ts';
import { attributeOf, textOf } from '../../../src/extract/page/dom.ts';
import { DATE_ATTRIBUTES, indexPage } from '../../../src/extract/page/page-index.ts';
import { linesOf } from '../../../src/extract/page/visible-lines.ts';

/** Both parsers cheerio may be loaded with: parse5 (default) and htmlparser2. */
const parsers = [
  ['parse5', (html: string) => cheerio.load(html)],
  ['htmlparser2', (html: string) => cheerio.load(html, { xml: { xmlMode: false } })],
] as const;

/** Markup that exercises each selector's matching rules (case, class words, nesting). */
const TRICKY = `<!doctype html><html><head>
<title>Title <b>one</b></title><title>second</title>
<meta property="og:title" content="og"><meta property="OG:URL" content="upper"><meta property="og:url" content="lower">
<meta HTTP-EQUIV="Refresh" content="0; url=https://example.com/x"><meta http-equiv="refresh" content="later">
<link rel="Canonical" href="https://example.com/c"><link rel="canonical" href="https://example.com/d">
<script type="Application/LD+JSON">{"datePublished":"2020-01-02"}</script>
<script type="application/ld+json" src="x.js"></script><script src="a.js"></script><script>var a = 1;</script>
</head><body class="b">
<h1>Head <i>line</i></h1><h1>second</h1>
<div itemprop="datePublished" data-date="3 May 2019"><span itemprop="author">A</span></div>
<abbr class="published x" title="2019-05-03">May 3</abbr><abbr class="Published">no</abbr><abbr class="updated">u</abbr>
<time datetime="2019-05-04">4 May</time><template><time>in template</time><p data-time="1">t</p></template>
<svg><title>svg title</title></svg><p data-published="" data-timestamp="2">x<!-- c -->y</p>
</body></html>`;

const names = (els: readonly Element[]): string[] => els.map((el) => `${el.name}:${textOf(el).slice(0, 12)}`);

describe.each(parsers)('indexPage (%s)', (_name, load) => {
  it('finds what the selectors it replaces find, in the same order', () => {
    const $ = load(TRICKY);
    const index = indexPage($);
    const sel = (selector: string): Element[] => $(selector).toArray() as Element[];
    expect(names(index.metas)).toEqual(names(sel('meta')));
    expect(names(index.itemprops)).toEqual(names(sel('[itemprop]')));
    expect(names(index.timeElements)).toEqual(names(sel('time, abbr.published, abbr.updated')));
    expect(names(index.jsonLdScripts)).toEqual(names(sel('script[type="application/ld+json"]')));
    expect(index.inlineScripts).toEqual(sel('script:not([src])'));
    expect(index.dateAttributeElements).toEqual(sel(DATE_ATTRIBUTES.map((a) => `[${a}]`).join(',')));
    expect(textOf(index.h1!)).toBe($('h1').first().text());
    expect(textOf(index.title!)).toBe($('title').first().text());
    expect(index.body).toBe($('body').get(0));
    expect(attributeOf(index.ogTitle, 'content')).toBe($('meta[property="og:title"]').attr('content'));
    expect(attributeOf(index.ogUrl, 'content')).toBe($('meta[property="og:url"]').attr('content'));
    expect(attributeOf(index.canonical, 'href')).toBe($('link[rel="canonical"]').attr('href'));
    const refresh = $('meta[http-equiv]').filter((_, el) => /^refresh$/i.test(el.attribs['http-equiv'] ?? '')).attr('content');
    expect(attributeOf(index.refresh, 'content')).toBe(refresh);
    for (const [list, tag] of [[index.titles, 'title'], [index.h1s, 'h1'], [index.links, 'link'], [index.scripts, 'script'], [index.htmls, 'html']] as const) {
      expect(list).toEqual(sel(tag));
    }
  });

  it('takes an attribute whose value a caller set to null for absent, as the selectors do', () => {
    const $ = load(TRICKY);
    const sel = (selector: string): Element[] => $(selector).toArray() as Element[];
    const [withBoth] = sel('div[itemprop]');
    const [withTwoDates] = sel('p[data-published]');
    (withBoth!.attribs as Record<string, string | null>)['itemprop'] = null;
    (withBoth!.attribs as Record<string, string | null>)['data-date'] = null;
    (withTwoDates!.attribs as Record<string, string | null>)['data-published'] = null;
    const index = indexPage($);
    expect(names(index.itemprops)).toEqual(names(sel('[itemprop]')));
    expect(index.itemprops).not.toContain(withBoth);
    expect(index.dateAttributeElements).toEqual(sel(DATE_ATTRIBUTES.map((a) => `[${a}]`).join(',')));
    expect(index.dateAttributeElements).not.toContain(withBoth);
    // Its other date attribute (data-timestamp) still counts.
    expect(index.dateAttributeElements).toContain(withTwoDates);
  });

  it('reads the lines from the body', () => {
    const index = indexPage(load(TRICKY));
    expect(index.lines.map((l) => l.text)).toEqual(linesOf(index.body!).map((l) => l.text));
    expect(index.lines.map((l) => l.text)).toContain('Head line');
  });

  it('reads the lines from the root when there is no body element', () => {
    const $ = cheerio.load('<div>one</div><div>two</div>', { xml: { xmlMode: false } });
    expect(indexPage($).lines.map((l) => l.text)).toEqual(['one', 'two']);
  });
});

describe('linesOf', () => {
  it('collapses whitespace and keeps inline elements on their line', () => {
    const $ = cheerio.load('<body><p>  a\n\t b  <b> c </b>\u00a0d</p>\n   \n<div> </div><p>e<br>f</p></body>');
    expect(linesOf($('body').get(0)!).map((l) => l.text)).toEqual(['a b c d', 'e', 'f']);
  });

  it('takes upper-case element names for what they are', () => {
    const $ = cheerio.load('<BODY><DIV>one<SPAN>two</SPAN></DIV><SCRIPT>x</SCRIPT></BODY>', { xml: { xmlMode: true } });
    expect(linesOf($('BODY').get(0)!).map((l) => l.text)).toEqual(['onetwo']);
  });

  it('reads the golden page the same with either parser', () => {
    const html = readFileSync(new URL('../../fixtures/pages/theiranproject-269797/page.html', import.meta.url), 'utf8');
    const [a, b] = parsers.map(([, load]) => indexPage(load(html)).lines.map((l) => l.text));
    expect(a).toEqual(b);
  });
});

describe('prefilters', () => {
  it('still finds codes whose digits a joiner or tatweel splits', () => {
    expect(findStoryCodeInText('کد خبر: ۷۳\u200c۴۹۹۲۶')).toBe('7349926');
    expect(findStoryCodeInText('News ID: 1\u0640\u064023')).toBe('123');
    expect(findStoryCodeInText('News ID: 1\u0640\u06402')).toBeNull();
  });

  it('turns away text without a four-digit year, in any script', () => {
    const now = new Date('2024-03-28T12:00:00Z');
    expect(parseDateText('۳ اردیبهشت ۱۴۰۲', { now })?.value).toBe('2023-04-23');
    expect(parseDateText('3 May 19', { now })).toBeNull();
  });
});
