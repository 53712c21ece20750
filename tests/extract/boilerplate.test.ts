import { describe, expect, it } from 'vitest';
import { countWords, peelCredit } from '../../src/article/article-text.ts';
import { BOILERPLATE_LINES } from '../../src/extract/boilerplate.ts';
import { BOILERPLATE_CLASS_ID, CONTENT_CLASS_ID } from '../../src/extract/page/chrome.ts';
import { detectLanguage, normalizeLanguageTag } from '../../src/extract/language.ts';
import { cleanTitle } from '../../src/extract/metadata.ts';
import { boilerplateReason, dropBoilerplate } from '../../src/article/boilerplate-lines.ts';

describe('boilerplate lines', () => {
  it.each([
    'Your Name', 'Your Email Address', 'Story Code : 269797', 'کد خبر: ۷۳۴۹۹۲۶', 'رمز الخبر: 12345',
    'Print | Send to friend', 'Tags: Iran, Turkey', 'برچسب‌ها: کتاب، فرهنگ', 'Read more', 'Read more: Other story',
    'بیشتر بخوانید: برنامه هفته کتاب', 'اقرأ أيضا: خبر آخر', 'All rights reserved for The Iran Project © 2012-2024.',
    'جميع الحقوق محفوظة', 'By Jane Doe', 'Advertisement', 'Tuesday 25 July 2017 - 22:43', '3 comments',
    'This slideshow requires JavaScript.',
  ])('drops %j', (line) => {
    expect(boilerplateReason(line)).not.toBeNull();
  });

  it.each([
    'The meeting was held between Iranian and Turkish officials.',
    'Tags are a way to group articles, the editor said.',
    'By the end of the year, the bridge will be finished.',
    'کتابخانه مرکزی جدید شهر صبح امروز افتتاح شد.',
  ])('keeps %j', (line) => {
    expect(boilerplateReason(line)).toBeNull();
  });

  it('every pattern has a reason', () => {
    for (const { reason } of BOILERPLATE_LINES) expect(reason.length).toBeGreaterThan(10);
  });

  it('drops a URL line only at the end of the body', () => {
    expect(dropBoilerplate(['Text.', 'https://example.com/a', 'More text.', 'https://example.com/self'])).toEqual([
      'Text.', 'https://example.com/a', 'More text.',
    ]);
  });

  it('drops date lines through the given recogniser, and a repeated title', () => {
    const isDateLine = (p: string): boolean => p === 'November 20, 2019';
    expect(dropBoilerplate(['Headline', 'November 20, 2019', 'Body.'], { title: 'Headline', isDateLine })).toEqual(['Body.']);
  });
});

describe('class and id hints', () => {
  it('recognises chrome by whole words', () => {
    expect(BOILERPLATE_CLASS_ID.test('share-bar')).toBe(true);
    expect(BOILERPLATE_CLASS_ID.test('related_news')).toBe(true);
    expect(BOILERPLATE_CLASS_ID.test('shareholder-letter')).toBe(false);
    expect(CONTENT_CLASS_ID.test('article-body')).toBe(true);
  });
});

describe('peelCredit', () => {
  it.each([
    ['FNA- High-ranking officials met.', 'FNA', 'High-ranking officials met.'],
    ['TEHRAN (FNA)- Officials met.', 'FNA', 'Officials met.'],
    ['(Reuters) — The company said.', 'Reuters', 'The company said.'],
    ['ایرنا- کتابخانه جدید افتتاح شد.', 'ایرنا', 'کتابخانه جدید افتتاح شد.'],
    ['(واس) - افتتحت الوزارة المحطة.', 'واس', 'افتتحت الوزارة المحطة.'],
  ])('%j', (first, credit, rest) => {
    expect(peelCredit([first, 'Second.'])).toEqual({ credit, paragraphs: [rest, 'Second.'] });
  });

  it.each(['COVID-19 cases rose.', 'US-based firms grew.', 'A short line - with a dash.', 'NATO summit opens.', 'کتابخانه جدید - افتتاح شد.'])('leaves %j', (first) => {
    expect(peelCredit([first]).credit).toBeNull();
  });
});

describe('title cleaning', () => {
  it.each([
    ['The Iran Project - Iran, Turkey stress cooperation', [], null, 'theiranproject.com', 'Iran, Turkey stress cooperation'],
    ['Harbour bridge reopens | Coastal Courier', [], 'Coastal Courier', null, 'Harbour bridge reopens'],
    ['Storm hits the coast - BBC News', [], null, null, 'Storm hits the coast'],
    ['Site - A headline with a dash - in it', ['A headline with a dash - in it'], null, null, 'A headline with a dash - in it'],
    ['Plain headline', [], null, null, 'Plain headline'],
  ])('%j', (raw, headings, siteName, site, expected) => {
    expect(cleanTitle(raw, headings, siteName, site)).toBe(expected);
  });
});

describe('language', () => {
  it('detects by script and function words', () => {
    expect(detectLanguage('The meeting was held between the two sides and they agreed on the plan for the region.')).toBe('en');
    expect(detectLanguage('کتابخانه مرکزی جدید شهر صبح امروز با حضور مسئولان استان و جمعی از اهالی فرهنگ افتتاح شد')).toBe('fa');
    expect(detectLanguage('اجتمع وزير الخارجية مع نظيره التركي في العاصمة لبحث العلاقات الثنائية والتعاون الأمني')).toBe('ar');
    expect(detectLanguage('Le ministre a rencontré les représentants de la région pour discuter des projets et des routes.')).toBe('fr');
    expect(detectLanguage('12 34')).toBeNull();
  });

  it('normalizes declared tags', () => {
    expect(normalizeLanguageTag('en_us')).toBe('en-US');
    expect(normalizeLanguageTag('FA')).toBe('fa');
    expect(normalizeLanguageTag('zh-hant-tw')).toBe('zh-Hant-TW');
    expect(normalizeLanguageTag('')).toBeNull();
  });
});

describe('countWords', () => {
  it('counts letters-first words with inner apostrophes and hyphens', () => {
    expect(countWords("Don't stop anti-terrorism work in 2024, ISIL’s end")).toBe(7);
    expect(countWords('کتابخانه جدید شهر')).toBe(3);
    expect(countWords('')).toBe(0);
  });
});

describe('JSON-LD articleBody', () => {
  it('stands in for a body the markup does not carry', async () => {
    const { extractArticle } = await import('../../src/extract/index.ts');
    const body = Array.from({ length: 6 }, (_, i) => `Paragraph ${i + 1} of the story, which the page renders with JavaScript, says quite a lot.`).join('\n');
    const html = `<html><head><script type="application/ld+json">${JSON.stringify({ '@type': 'NewsArticle', headline: 'H', articleBody: body })}</script></head><body><div id="app"></div></body></html>`;
    const { article, reason } = extractArticle(html);
    expect(reason).toBeNull();
    expect(article.text.split('\n\n')).toHaveLength(6);
  });
});
