/**
 * The fast tokenizer must build the tree htmlparser2's own tokenizer builds, event for event:
 * the runs it skips are where the stock one does nothing but move on. Each case below aims at
 * one of its scans (text, quoted attribute values, fastForwardTo) or at the boundary between a
 * scan and the stock states (entities, the end of the input, input written in chunks).
 */
import { Parser, Tokenizer, parseDocument } from 'htmlparser2';
import render from 'dom-serializer';
import { describe, expect, it } from 'vitest';
import { FastTokenizer, HTML_TOKENIZER, fastTokenizerFits } from '../../../src/extract/page/fast-tokenizer.ts';

const CASES: Record<string, string> = {
  'plain text and tags': '<html><head><title>A title</title></head><body><p>Some text <b>bold</b> tail</p></body></html>',
  'entities in text': '<p>Fish &amp; chips &eacute;t&eacute; &#233;&#x00E9; &notanentity; &amp</p>',
  'an ampersand at the very end': '<p>Tom &',
  'text running to the end of the input': '<div>unterminated text with no tag after it',
  'a lone less-than in text': '<p>1 < 2 and 3 <4 and a <</p>',
  'entities in attribute values': '<a href="/s?a=1&amp;b=2&c=3" title=\'It&#39;s &quot;x&quot;\'>x</a>',
  'quotes of the other kind inside values': '<img alt="it\'s" title=\'say "hi"\'>',
  'unquoted and empty attributes': '<input value=a&amp;b disabled data-x= name=q>',
  'an attribute value running to the end': '<a href="never closed',
  'script bodies with tag-like text': '<script>if (a < b && c > d) { x = "</scr" + "ipt>"; }</script><p>after</p>',
  'style and an uppercase end tag': '<style>a < b { color: red }</STYLE><p>x</p>',
  'comments and CDATA': '<!-- a < comment & -- --><p>x</p><![CDATA[ raw < & ]]><!---->',
  'title and textarea keep decoding': '<title>Q&amp;A &lt;live&gt;</title><textarea>a &amp; b < c</textarea>',
  'an unclosed comment': '<p>x</p><!-- never closed < &',
  'non-ASCII text': '<p>خبرگزاری ۱۴۰۳ — «نقل» &nbsp; 中文 😀 text</p>',
};

/** The serialized tree of a whole document written at once. */
function tree(html: string, tokenizer: typeof Tokenizer): string {
  return render(parseDocument(html, { Tokenizer: tokenizer }));
}

/** Every event the parser emits, for input written in chunks of `size` characters. */
function events(html: string, tokenizer: typeof Tokenizer, size: number): string[] {
  const out: string[] = [];
  const parser = new Parser({
    onopentag: (name, attribs) => out.push(`open ${name} ${JSON.stringify(attribs)}`),
    onclosetag: (name) => out.push(`close ${name}`),
    ontext: (text) => out.push(`text ${text}`),
    oncomment: (text) => out.push(`comment ${text}`),
    oncdatastart: () => out.push('cdata'),
    onprocessinginstruction: (name, data) => out.push(`pi ${name} ${data}`),
  }, { Tokenizer: tokenizer });
  for (let i = 0; i < html.length; i += size) parser.write(html.slice(i, i + size));
  parser.end();
  // Text may arrive in several pieces; what the document gets is their concatenation.
  return out.reduce<string[]>((merged, event) => {
    const last = merged[merged.length - 1];
    if (event.startsWith('text ') && last?.startsWith('text ')) merged[merged.length - 1] = last + event.slice(5);
    else merged.push(event);
    return merged;
  }, []);
}

describe('FastTokenizer', () => {
  it('fits the installed htmlparser2, so extraction uses it', () => {
    expect(fastTokenizerFits()).toBe(true);
    expect(HTML_TOKENIZER).toBe(FastTokenizer);
  });

  for (const [name, html] of Object.entries(CASES)) {
    it(`builds the stock tree: ${name}`, () => {
      expect(tree(html, FastTokenizer)).toBe(tree(html, Tokenizer));
    });

    it(`emits the stock events when the input comes in chunks: ${name}`, () => {
      const stock = events(html, Tokenizer, html.length);
      for (const size of [1, 3, 7]) expect(events(html, FastTokenizer, size)).toEqual(stock);
    });
  }

  it('reads text and attributes as the stock tokenizer decodes them', () => {
    const html = CASES['entities in attribute values']! + CASES['entities in text']!;
    const stock = events(html, Tokenizer, html.length);
    expect(stock).toContain('open a {"href":"/s?a=1&b=2&c=3","title":"It\'s \\"x\\""}');
    expect(events(html, FastTokenizer, html.length)).toEqual(stock);
  });

  it('falls back to the stock tokenizer when htmlparser2 no longer has the methods it overrides', () => {
    const renamed = { stateText() {}, fastForwardTo() {} };
    expect(fastTokenizerFits(renamed)).toBe(false);
  });
});
