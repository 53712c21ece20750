import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { looksLikeTextDump, parseTextDump } from '../../src/import/text-dump.ts';
import { contentHash, countWords } from '../../src/article/article-text.ts';

const DUMPS = join(import.meta.dirname, '../fixtures/text-dumps');
const NOW = new Date('2024-06-01T00:00:00Z');
const fold = (s: unknown): unknown => (typeof s === 'string' ? s.replace(/\s+/g, ' ').trim() : s);

describe('text dumps (golden)', () => {
  for (const file of readdirSync(DUMPS).filter((f) => f.endsWith('.txt')).sort()) {
    it(file, () => {
      const text = readFileSync(join(DUMPS, file), 'utf8');
      const expected = JSON.parse(readFileSync(join(DUMPS, file.replace(/\.txt$/, '.expected.json')), 'utf8')) as Record<string, unknown>;
      const { article, reason } = parseTextDump(text, { fileName: file, now: NOW });
      expect(reason).toBeNull();
      for (const [field, value] of Object.entries(expected)) {
        if (field === 'file') continue;
        const actual = (article as unknown as Record<string, unknown>)[field];
        expect({ field, value: fold(actual) }).toEqual({ field, value: fold(value) });
      }
      expect(article.extractor).toBe('text-dump@1');
      expect(article.wordCount).toBe(countWords(article.text));
      expect(article.contentHash).toBe(contentHash(article.text));
    });
  }
});

describe('parseTextDump', () => {
  it('returns an empty article with a reason for empty input, never throws', () => {
    expect(parseTextDump('').reason).toBe('input is empty');
    expect(parseTextDump('   \n\n').article.text).toBe('');
    expect(parseTextDump(undefined as unknown as string).reason).not.toBeNull();
  });

  it('keeps a URL line that is not at the end of the body', () => {
    const dump = 'First paragraph of the story, long enough to be the body.\nhttps://example.com/cited\nLast paragraph.\n';
    const { article } = parseTextDump(dump, { now: NOW });
    expect(article.text).toContain('https://example.com/cited');
    expect(article.url).toBeNull();
  });

  it('takes no title when the first line is a sentence', () => {
    const { article } = parseTextDump('The council met on Monday.\n\nIt approved the budget.\n', { now: NOW });
    expect(article.title).toBeNull();
    expect(article.text).toBe('The council met on Monday.\n\nIt approved the budget.');
  });
});

describe('looksLikeTextDump', () => {
  it('tells dumps from HTML and binary', () => {
    expect(looksLikeTextDump(readFileSync(join(DUMPS, 'theiranproject-269797.txt'), 'utf8'))).toBe(true);
    expect(looksLikeTextDump('<!DOCTYPE html><html><body><p>x</p></body></html>')).toBe(false);
    expect(looksLikeTextDump('  <div>fragment</div>')).toBe(false);
    expect(looksLikeTextDump('\u0000\u0001\u0002PK\u0003\u0004'.repeat(50))).toBe(false);
    expect(looksLikeTextDump('')).toBe(false);
  });
});
