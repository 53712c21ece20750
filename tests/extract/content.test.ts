import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/index.ts';

const para = (n: number, words: string): string =>
  `<p>${words} ${n}: a paragraph long enough to count as prose, with a comma or two, and then some more words.</p>`;
/** Page builders nest each text block five wrappers deep: a paragraph's points never reach the article. */
const deep = (inner: string): string => `<div class="row"><div class="col"><div class="inner"><div class="wrapper"><div class="text-column">${inner}</div></div></div></div></div>`;

describe('findMainContent: an article split over deeply nested blocks', () => {
  it('takes every block of the article, not only the best scoring one', () => {
    const html = `<html><body><nav><a href="/">Home</a> <a href="/a">A</a></nav><article>
      ${deep([1, 2, 3, 4].map((n) => para(n, 'First block')).join(''))}
      ${deep('<h2>A subhead between the blocks</h2>')}
      ${deep([5, 6, 7].map((n) => para(n, 'Second block')).join(''))}
    </article><footer><a href="/imprint">Imprint</a></footer></body></html>`;
    const { text } = extractArticle(html).article;
    expect(text).toContain('First block 1');
    expect(text).toContain('A subhead between the blocks');
    expect(text).toContain('Second block 7');
    expect(text).not.toContain('Imprint');
  });

  it('does not climb into a link-heavy region around the article', () => {
    const links = Array.from({ length: 40 }, (_, i) => `<li><a href="/s${i}">Another story with a long linked headline number ${i}</a></li>`).join('');
    const html = `<html><body><div class="page"><div class="main">${[1, 2, 3].map((n) => para(n, 'Story')).join('')}</div>
      <div class="teasers"><ul>${links}</ul><p>A teaser paragraph under the list, long enough to count as prose in the stats, with commas.</p></div></div></body></html>`;
    const { text } = extractArticle(html).article;
    expect(text).toContain('Story 3');
    expect(text).not.toContain('teaser paragraph');
  });
});

describe('findMainContent: prose blocks beside the body', () => {
  it('takes a lead paragraph in a box of its own, not an author bio', () => {
    const html = `<html><body><article>
      <div class="top"><div class="inner"><p class="lead">The lead paragraph of the story sits in a box of its own above the body, long enough to be prose, with commas.</p></div></div>
      <div class="body">${[1, 2, 3, 4, 5].map((n) => para(n, 'Body')).join('')}</div>
      <div class="writer-bio"><div><p>Jane Doe is a reporter for the paper, covering courts and the city council since 2010, and she lives with two cats.</p></div></div>
    </article></body></html>`;
    const { text } = extractArticle(html).article;
    expect(text).toContain('The lead paragraph');
    expect(text).toContain('Body 5');
    expect(text).not.toContain('Jane Doe is a reporter');
  });
});
