import { readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import type { CheerioAPI } from 'cheerio';
import { indexPage } from '../../src/extract/page/page-index.ts';
import { findStoryCodeInLines, findStoryCodeInText, findStoryCodeInUrl, type StoryCodeOptions } from '../../src/normalize/story-code.ts';

/** The story code of a parsed page, read from its visible lines as the extractor does. */
function findStoryCode($: CheerioAPI, options: StoryCodeOptions): string | null {
  return findStoryCodeInLines(indexPage($).lines.map((l) => l.text), options);
}

const fixture = readFileSync(new URL('../fixtures/pages/theiranproject-269797/page.html', import.meta.url), 'utf8');

describe('findStoryCodeInText', () => {
  it.each([
    ['Story Code : 269797', '269797'],
    ['News ID: 152504', '152504'],
    ['News Code : 4410', '4410'],
    ['Article ID #99817', '99817'],
    ['کد خبر: ۷۳۴۹۹۲۶', '7349926'],
    ['كد خبر : ۱۳۵۳۸۸۹', '1353889'], // Arabic kaf
    ['شناسه خبر: 1353889', '1353889'],
    ['رقم الخبر: ٤٥٦٧٨٩', '456789'],
  ])('%s → %s', (text, code) => {
    expect(findStoryCodeInText(text)).toBe(code);
  });

  it('returns null without a label, or for a number too short to be a code', () => {
    expect(findStoryCodeInText('Tuesday 25 July 2017 - 22:43')).toBeNull();
    expect(findStoryCodeInText('News ID: 12')).toBeNull();
  });

  it('uses the site pattern first (its first group)', () => {
    expect(findStoryCodeInText('Ref. AB-00123 / Story Code : 269797', 'Ref\\. AB-(\\d+)')).toBe('00123');
  });
});

describe('findStoryCodeInUrl', () => {
  it.each([
    ['https://www.example.ir/news/458812/title-words', '458812'],
    ['https://www.example.ir/fa/news/458812', '458812'],
    ['https://example.com/story/12345.html', '12345'],
    ['https://example.com/view.php?id=98765&lang=en', '98765'],
  ])('%s → %s', (url, code) => {
    expect(findStoryCodeInUrl(url)).toBe(code);
  });

  it('does not take a dated path for a code', () => {
    expect(findStoryCodeInUrl('https://example.com/2017/07/25/title')).toBeNull();
    expect(findStoryCodeInUrl('not a url')).toBeNull();
  });
});

describe('findStoryCode', () => {
  it('finds the golden code on the theiranproject page with either parser', () => {
    for (const $ of [cheerio.load(fixture), cheerio.load(fixture, { xml: { xmlMode: false } })]) {
      expect(findStoryCode($, { url: 'https://theiranproject.com/vdcjhhe8auqemaz.92fu.html' })).toBe('269797');
    }
  });

  it('reads a label split across inline elements', () => {
    const $ = cheerio.load('<div class="code"><b>کد خبر</b>: <span>۷۳۴۹۹۲۶</span></div>');
    expect(findStoryCode($, {})).toBe('7349926');
  });

  it('falls back to the URL, then null', () => {
    const $ = cheerio.load('<p>No code here.</p>');
    expect(findStoryCode($, { url: 'https://example.ir/news/458812/x' })).toBe('458812');
    expect(findStoryCode($, { url: null })).toBeNull();
  });

  it('applies the site pattern to the page, then to the URL', () => {
    const $ = cheerio.load('<p>Nothing labelled.</p>');
    expect(findStoryCode($, { url: 'https://example.com/a/30657941.html', pattern: '/a/(\\d+)\\.html' })).toBe('30657941');
  });
});
