/**
 * Golden pages: each folder of tests/fixtures/pages/<case>/ holds a page and the article it must
 * become. Only the fields present in expected.json are compared; text compares after folding
 * runs of whitespace (as ../shared/README.md specifies).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/index.ts';

const PAGES = join(import.meta.dirname, '../fixtures/pages');
/** A fixed "now" so the date window does not move under the fixtures. */
const NOW = new Date('2024-06-01T00:00:00Z');

const fold = (s: unknown): unknown => (typeof s === 'string' ? s.replace(/\s+/g, ' ').trim() : s);

describe('golden pages', () => {
  for (const name of readdirSync(PAGES).sort()) {
    it(name, () => {
      const html = readFileSync(join(PAGES, name, 'page.html'), 'utf8');
      const expected = JSON.parse(readFileSync(join(PAGES, name, 'expected.json'), 'utf8')) as Record<string, unknown>;
      const { article, reason } = extractArticle(html, { url: (expected['url'] as string | undefined) ?? null, now: NOW });
      expect(reason).toBeNull();
      for (const [field, value] of Object.entries(expected)) {
        const actual = (article as unknown as Record<string, unknown>)[field];
        expect({ field, value: fold(actual) }).toEqual({ field, value: fold(value) });
      }
      expect(article.wordCount).toBeGreaterThan(0);
      expect(article.contentHash).toMatch(/^[0-9a-f]{64}$/);
    });
  }
});
