/**
 * `ingest query` and `export` read rows in index order: the ORDER BY and the filters use exactly
 * the expressions the indexes of migration 0004 hold (db/article-expressions.ts), so SQLite
 * neither scans nor sorts the table (at a million articles that is the difference between
 * milliseconds and seconds: npm run bench:query).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../db/client.ts';
import { articleSelectStatement, type ArticleFilters, type SearchPlan } from '../../src/store/article-query.ts';
import { upsertArticle } from '../../src/store/article-store.ts';
import { makeArticle } from '../helpers/article-factory.ts';

let db: Db;

beforeAll(() => {
  db = openDatabase(':memory:');
  for (let i = 0; i < 50; i++) {
    const url = `https://news${i % 5}.example/a/${i}`;
    upsertArticle(db, makeArticle({ url, canonicalUrl: url, site: `news${i % 5}.example`, storyCode: null, language: i % 2 ? 'en-GB' : 'fa', contentHash: `h${i}` }), new Date());
  }
});

afterAll(() => closeDatabase(db));

function plan(filters: ArticleFilters, searchPlan: SearchPlan = 'lookup'): string {
  const { sql, params } = articleSelectStatement({ limit: 50, ...filters }, ['id', 'title'], searchPlan);
  const rows = db.$client.prepare(`explain query plan ${sql}`).all(...params) as Array<{ detail: string }>;
  return rows.map((row) => row.detail).join('\n');
}

describe('query plans of ingest query', () => {
  it.each([
    ['unfiltered', {}, 'articles_publication_instant_idx'],
    ['--since / --until', { publishedFrom: '2017-01-01T00:00:00Z', publishedBefore: '2018-01-01T00:00:00Z' }, 'articles_publication_instant_idx'],
    ['--site', { site: 'news1.example' }, 'articles_site_publication_instant_idx'],
    ['--site with --since', { site: 'news1.example', publishedFrom: '2017-01-01T00:00:00Z' }, 'articles_site_publication_instant_idx'],
    ['--language', { language: 'en' }, 'articles_language_publication_instant_idx'],
    ['--language with a region', { language: 'en-GB' }, 'articles_language_tag_publication_instant_idx'],
  ] as const)('%s reads an index in order, with no sort', (_name, filters, index) => {
    const detail = plan(filters);
    expect(detail).toContain(`USING INDEX ${index}`);
    expect(detail).not.toContain('TEMP B-TREE');
    expect(detail).not.toMatch(/^SCAN articles$/m);
  });

  it('a search with many matches reads the publication index in order and checks each row against the matches', () => {
    const detail = plan({ search: 'paragraph' }, 'scan');
    expect(detail).toContain('SCAN articles USING INDEX articles_publication_instant_idx');
    expect(detail).not.toContain('TEMP B-TREE');
    expect(plan({ search: 'paragraph', site: 'news1.example' }, 'scan')).toContain('articles_site_publication_instant_idx');
  });

  it('a search with few matches looks each match up (and sorts the few)', () => {
    expect(plan({ search: 'paragraph' }, 'lookup')).toMatch(/SEARCH articles USING INTEGER PRIMARY KEY/);
  });
});
