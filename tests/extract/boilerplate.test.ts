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
    const dateLines = { isDateLine: (p: string): boolean => p === 'November 20, 2019' };
    expect(dropBoilerplate(['Headline', 'November 20, 2019', 'Body.'], { title: 'Headline', dateLines })).toEqual(['Body.']);
  });
});

describe('European furniture lines', () => {
  it.each([
    'Verwandte Beiträge', 'Das könnte Sie auch interessieren!', 'Auch interessant', 'Zum Weiterlesen', 'Mehr zu Klima und Konsum',
    'À lire aussi', 'Artículos relacionados', 'Leggi anche', 'Czytaj także', 'You may also like…', 'Über den Autor', 'Von:', 'Autoren:',
    '- Anzeige -', 'Subscribe to our daily newsletter here', 'Newsletter abonnieren', 'Abonnez-vous à notre newsletter',
    'Your email address will not be published. Required fields are marked *',
    'Bitte registrieren Sie sich und halten Sie sich an unsere Netiquette.', 'Kommentare werden moderiert.',
    'Rezept drucken', 'Dieses Skript als PDF herunterladen', 'Quellen ausblenden', 'Hier können Sie den Artikel bewerten',
    'Der Beitrag wurde am Mittwoch, 5. Februar 2020 in Veranstaltungen veröffentlicht.', 'This entry was posted in News on May 3.',
    'Pressekontakt: Max Muster, Tel. 030 123456', 'Media contact: press@example.com',
  ])('drops %j', (line) => {
    expect(boilerplateReason(line)).not.toBeNull();
  });

  it.each([
    'Von Anfang an war klar, dass das Projekt länger dauern würde.',
    'Mehr zu tun gibt es für die Feuerwehr im Winter, sagte der Sprecher.',
    'Weitere Informationen zum Antrag gibt das Bürgeramt.',
    'Die Anzeige wurde am Montag erstattet.',
    'Termin: 29.02.2020, 19 Uhr',
  ])('keeps %j', (line) => {
    expect(boilerplateReason(line)).toBeNull();
  });

  const LONG = 'A real paragraph of the article, long enough that it could never be a teaser or a link line under a related-content heading: it goes on with clauses, commas and more words until it passes the tail limit, which is three hundred characters long, so this sentence carries on for a while yet before it ends.';

  it('drops everything after an end-of-article heading when only short lines follow', () => {
    expect(dropBoilerplate([LONG, LONG, LONG, 'Das könnte Sie auch interessieren', 'Other story one', 'Other story two'])).toEqual([LONG, LONG, LONG]);
    expect(dropBoilerplate([LONG, LONG, 'Über den Autor', 'Max Muster schreibt seit 2010 für uns.'])).toEqual([LONG, LONG]);
  });

  it('keeps what follows such a heading when more article follows, or when it opens the body', () => {
    expect(dropBoilerplate([LONG, LONG, 'Lesen Sie auch', 'Short line', LONG])).toEqual([LONG, LONG, 'Short line', LONG]);
    expect(dropBoilerplate(['Weitere Artikel', 'Short line one', 'Short line two'])).toEqual(['Short line one', 'Short line two']);
  });

  it('drops an "Ort …" line only at the end of the body', () => {
    expect(dropBoilerplate(['Ort Berlin', LONG, 'Ort: Stadthalle Musterstadt'])).toEqual(['Ort Berlin', LONG]);
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

describe('peelCredit: a dateline city is not a credit', () => {
  it.each([
    'WASHINGTON — Two federal judges ruled on Tuesday.',
    'FRANKFURT — Die Bank meldete.',
    'WEST PALM BEACH — The family of a junior tennis player sued.',
    '(Leipzig) - Von Preisbremsen profitieren alle.',
    'MIAMI - Officials said.',
    'COVID-19 - a year on.',
  ])('%j stays whole, without a credit', (first) => {
    expect(peelCredit([first, 'Second.'])).toEqual({ paragraphs: [first, 'Second.'], credit: null });
  });
});

describe('peelCredit', () => {
  it.each([
    ['FNA- High-ranking officials met.', 'FNA', 'High-ranking officials met.'],
    ['TEHRAN (FNA)- Officials met.', 'FNA', 'TEHRAN - Officials met.'],
    ['WASHINGTON (AP) — Two federal judges ruled.', 'AP', 'WASHINGTON — Two federal judges ruled.'],
    ['BERLIN (dpa) - Die Regierung beschloss.', 'dpa', 'BERLIN - Die Regierung beschloss.'],
    ['AFP/Reuters - Markets fell.', 'AFP/Reuters', 'Markets fell.'],
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
