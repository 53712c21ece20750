import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/index.ts';
import { parseSiteProfiles } from '../../src/extract/sites/profile-file.ts';
import { BUILTIN_PROFILES, findProfile } from '../../src/extract/sites/index.ts';

const PAGE = readFileSync(join(import.meta.dirname, '../fixtures/pages/theiranproject-269797/page.html'), 'utf8');

describe('parseSiteProfiles', () => {
  it('fills defaults and accepts { profiles: [...] }', () => {
    const [profile] = parseSiteProfiles({ profiles: [{ name: 'example.com', hosts: ['example.com'] }] });
    expect(profile).toMatchObject({ name: 'example.com', version: 1, remove: [], timeZone: null, selectors: { body: [] } });
  });

  it.each([
    [[{ name: 'x', hosts: [] }], '[0].hosts'],
    [[{ name: 'x', hosts: ['example.com'], timeZone: 'Mars/Olympus' }], '[0].timeZone: not an IANA time zone'],
    [[{ name: 'x', hosts: ['example.com'], selectors: { body: ['div[[['] } }], '[0].selectors.body[0]: not a valid CSS selector'],
    [[{ name: 'x', hosts: ['example.com'], boilerplatePatterns: ['(unclosed'] }], '[0].boilerplatePatterns[0]: not a valid regular expression'],
    [[{ name: 'x', hosts: ['example.com'], colour: 'red' }], 'colour'],
    [{ profiles: [{ hosts: ['example.com'] }] }, 'profiles[0].name'],
    [[{ name: 'x', hosts: ['a.com'] }, { name: 'x', hosts: ['b.com'] }], '[1].name: duplicate'],
    ['not a list', 'site profiles'],
  ])('names the bad field (%#)', (input, message) => {
    expect(() => parseSiteProfiles(input)).toThrow(message);
  });

  it('validates the built-in profiles, each written out as validation returns it', () => {
    expect(parseSiteProfiles(JSON.parse(JSON.stringify(BUILTIN_PROFILES)))).toEqual(BUILTIN_PROFILES);
  });
});

describe('findProfile', () => {
  it('matches bare hosts, www. and subdomains of *. patterns; users first', () => {
    expect(findProfile('theiranproject.com')?.timeZone).toBe('Asia/Tehran');
    expect(findProfile('www.theiranproject.com')?.name).toBe('theiranproject.com');
    expect(findProfile('fa.theiranproject.com')?.name).toBe('theiranproject.com');
    expect(findProfile('nottheiranproject.com')).toBeNull();
    const [mine] = parseSiteProfiles([{ name: 'mine', hosts: ['theiranproject.com'] }]);
    expect(findProfile('theiranproject.com', [mine!])?.name).toBe('mine');
  });
});

describe('profiles layer on the generic extractor', () => {
  it('a user profile adds removals and boilerplate patterns by host', () => {
    const html = `<html><body><article><div class="promo-box">Buy the print edition today, with free delivery on every order.</div>
      <p>The first paragraph of the story is long enough, with commas, to be found by the generic extractor.</p>
      <p>Follow us on Mastodon</p>
      <p>The second paragraph of the story is also long enough, with commas, to be part of the body text.</p></article></body></html>`;
    const profiles = parseSiteProfiles([{ name: 'example.com', hosts: ['example.com'], remove: ['.promo-box'], boilerplatePatterns: ['^Follow us on'] }]);
    const generic = extractArticle(html, { url: 'https://example.com/a' });
    const withProfile = extractArticle(html, { url: 'https://example.com/a', profiles });
    expect(generic.article.text).toContain('Follow us on Mastodon');
    expect(withProfile.article.text).not.toContain('Follow us on Mastodon');
    expect(withProfile.article.text).not.toContain('print edition');
    expect(withProfile.article.extractor).toBe('profile:example.com@1');
    expect(generic.article.extractor).toBe('generic@1');
  });

  it('the built-in profile gives the page its dates, code and credit', () => {
    const { article } = extractArticle(PAGE, { url: 'https://theiranproject.com/vdcjhhe8auqemaz.92fu.html', now: new Date('2024-06-01T00:00:00Z') });
    expect(article).toMatchObject({ storyCode: '269797', credit: 'FNA', publishedAt: '2017-07-25T22:43:00+04:30' });
    expect(article.text).not.toMatch(/Your Name|Tags:|Story Code|https:\/\//);
  });
});
