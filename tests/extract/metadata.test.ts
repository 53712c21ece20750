import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/index.ts';
import { cleanAuthors, decodeEntities } from '../../src/extract/metadata.ts';

const page = (head: string, body = '<p>Body text of the article, long enough to be prose on the page, with a comma.</p>'): string =>
  `<!doctype html><html><head>${head}</head><body><article>${body}</article></body></html>`;
const ld = (node: Record<string, unknown>): string => `<script type="application/ld+json">${JSON.stringify(node)}</script>`;

describe('metadata: HTML entities are decoded in every field', () => {
  it('decodes a JSON-LD headline, description and author', () => {
    const { article } = extractArticle(page(ld({
      '@type': 'NewsArticle', headline: '&#8216;They don’t care&#8217; &amp; other quotes',
      description: 'Caf&eacute; owners &quot;worried&quot;', author: { '@type': 'Person', name: 'Ren&eacute;e Dupont' },
    })));
    expect(article.title).toBe('‘They don’t care’ & other quotes');
    expect(article.description).toBe('Café owners "worried"');
    expect(article.authors).toEqual(['Renée Dupont']);
  });

  it('decodes meta content encoded twice, and leaves text that only looks like markup alone', () => {
    const { article } = extractArticle(page('<meta property="og:title" content="Rock &amp;amp; Roll&amp;#8217;s night"><meta name="description" content="Why a &lt;b&gt; tag, and AT&amp;T">'));
    expect(article.title).toBe("Rock & Roll’s night");
    expect(article.description).toBe('Why a <b> tag, and AT&T');
  });

  it('decodeEntities leaves plain text as it is', () => {
    expect(decodeEntities('Plain title: no references, 5 < 6')).toBe('Plain title: no references, 5 < 6');
    expect(decodeEntities('&#x263A; &hellip;')).toBe('☺ …');
  });
});

describe('metadata: authors are people', () => {
  const context = { siteName: 'Cleveland.com', site: 'cleveland.com' };

  it('drops roles and organisations', () => {
    expect(cleanAuthors(['publisher', 'Perform Media Deutschland GmbH', 'Redaktion', 'Jane Doe', 'cleveland.com', 'Staff'], context)).toEqual(['Jane Doe']);
  });

  it('merges two spellings of one person, cutting the affiliation', () => {
    expect(cleanAuthors(['Troy L. Smith, Cleveland.com', 'Troy Smith'], context)).toEqual(['Troy L. Smith']);
    expect(cleanAuthors(['By Jane Doe', 'Jane Doe', 'JANE DOE'], context)).toEqual(['Jane Doe']);
  });

  it('keeps distinct people, and a name that merely contains the site label', () => {
    expect(cleanAuthors(['Ann Lee', 'Bob Lee', 'Troy Record'], { siteName: null, site: 'troyrecord.com' })).toEqual(['Ann Lee', 'Bob Lee']);
    expect(cleanAuthors(['Troy Smith'], { siteName: null, site: 'troyrecord.com' })).toEqual(['Troy Smith']);
  });

  it('applies to what a page declares', () => {
    const { article } = extractArticle(page(
      `<meta name="author" content="publisher">${ld({ '@type': 'NewsArticle', headline: 'H', author: [{ name: 'Troy L. Smith, Cleveland.com' }, { name: 'Troy Smith' }, { '@type': 'Organization', name: 'Perform Media Deutschland GmbH' }] })}`,
    ), { url: 'https://www.cleveland.com/news/a.html' });
    expect(article.authors).toEqual(['Troy L. Smith']);
  });
});
