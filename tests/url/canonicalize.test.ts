import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, MAX_URL_LENGTH, siteOf } from '../../src/url/canonicalize.ts';
import { InvalidUrlError } from '../../src/url/errors.ts';

function reasonFor(input: string): string {
  try {
    canonicalizeUrl(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidUrlError);
    return (error as InvalidUrlError).reason;
  }
  throw new Error(`expected ${input} to be refused`);
}

describe('canonicalizeUrl', () => {
  it.each([
    ['lowercases scheme and host', 'HTTPS://WWW.Example.COM/Path', 'https://www.example.com/Path'],
    ['converts IDN to punycode', 'http://bücher.de/straße', 'http://xn--bcher-kva.de/stra%C3%9Fe'],
    ['drops the default http port', 'http://example.com:80/a', 'http://example.com/a'],
    ['drops the default https port', 'https://example.com:443/a', 'https://example.com/a'],
    ['keeps a non-default port', 'https://example.com:8443/a', 'https://example.com:8443/a'],
    ['drops the fragment', 'http://example.com/a#comments', 'http://example.com/a'],
    ['drops an empty query', 'http://example.com/a?', 'http://example.com/a'],
    ['drops a query left empty', 'http://example.com/a?utm_source=x#y', 'http://example.com/a'],
    ['resolves dot segments', 'http://example.com/a/./b/../c', 'http://example.com/a/c'],
    ['resolves encoded dot segments', 'http://example.com/a/%2e%2E/c', 'http://example.com/c'],
    ['adds the root path', 'http://example.com', 'http://example.com/'],
    ['drops a trailing host dot', 'http://example.com./a', 'http://example.com/a'],
    ['trims whitespace', '  http://example.com/a \n', 'http://example.com/a'],
    ['decodes unreserved characters', 'http://example.com/%7euser/%41', 'http://example.com/~user/A'],
    ['uppercases percent hex', 'http://example.com/a%2fb?q=%c3%a9', 'http://example.com/a%2Fb?q=%C3%A9'],
    ['normalizes IPv4 spellings', 'http://0x7f.1/', 'http://127.0.0.1/'],
  ])('%s', (_name, input, expected) => {
    expect(canonicalizeUrl(input)).toBe(expected);
  });

  it('removes tracking parameters, case-insensitively', () => {
    expect(
      canonicalizeUrl(
        'https://example.com/news/1?utm_source=tw&UTM_Medium=social&fbclid=abc&gclid=1&dclid=2' +
          '&msclkid=3&mc_cid=4&mc_eid=5&_ga=6&igshid=7&yclid=8&ref_src=twsrc&id=42',
      ),
    ).toBe('https://example.com/news/1?id=42');
  });

  it('keeps parameters that may select content', () => {
    expect(canonicalizeUrl('https://example.com/?ref=home&page=2&source=rss')).toBe(
      'https://example.com/?page=2&ref=home&source=rss',
    );
  });

  it('sorts parameters stably by name, keeping the order of repeated names', () => {
    expect(canonicalizeUrl('http://example.com/s?z=1&a=2&z=0&m&a=1')).toBe(
      'http://example.com/s?a=2&a=1&m&z=1&z=0',
    );
  });

  it('keeps the exact encoding of values and value-less parameters', () => {
    expect(canonicalizeUrl('http://example.com/s?q=a+b&flag&x=a%20b')).toBe(
      'http://example.com/s?flag&q=a+b&x=a%20b',
    );
  });

  it('maps equivalent spellings to one key', () => {
    const spellings = [
      'https://Example.com:443/a/b/../story?id=7&utm_campaign=x#top',
      'https://example.com/a/story?utm_source=y&id=7',
      'HTTPS://EXAMPLE.COM./a/./story?id=7&',
    ];
    expect(new Set(spellings.map(canonicalizeUrl)).size).toBe(1);
  });

  it('is idempotent', () => {
    for (const input of ['http://bücher.de/ä?b=2&a=1#x', 'http://a.com/%7e?q=%2f', 'http://a.com/?x&&y=']) {
      const once = canonicalizeUrl(input);
      expect(canonicalizeUrl(once)).toBe(once);
    }
  });

  it.each([
    ['', 'not a URL'],
    ['example.com/a', 'not a URL'],
    ['http://', 'not a URL'],
    ['http://exa mple.com/', 'not a URL'],
    ['ftp://example.com/file', 'scheme ftp: is not http or https'],
    ['javascript:alert(1)', 'scheme javascript: is not http or https'],
    ['file:///etc/passwd', 'scheme file: is not http or https'],
    ['http://user:secret@example.com/', 'credentials in URL'],
    ['http://user@example.com/', 'credentials in URL'],
    ['http://:pw@example.com/', 'credentials in URL'],
  ])('refuses %j: %s', (input, reason) => {
    expect(reasonFor(input)).toBe(reason);
  });

  it('refuses URLs longer than the limit', () => {
    const longest = `http://example.com/${'a'.repeat(MAX_URL_LENGTH - 'http://example.com/'.length)}`;
    expect(canonicalizeUrl(longest)).toBe(longest);
    expect(reasonFor(`${longest}b`)).toBe('URL longer than 2048 characters');
  });

  it('refuses URLs that grow past the limit when canonicalized', () => {
    const path = 'ä'.repeat(700); // 700 characters in, 4200 once percent-encoded
    expect(reasonFor(`http://example.com/${path}`)).toBe('URL longer than 2048 characters');
  });

  it('carries the input on the error', () => {
    try {
      canonicalizeUrl('ftp://example.com/');
    } catch (error) {
      expect(error).toMatchObject({ name: 'InvalidUrlError', input: 'ftp://example.com/' });
      expect((error as Error).message).toBe('scheme ftp: is not http or https');
    }
  });
});

describe('siteOf', () => {
  it.each([
    ['https://WWW.Example.com/a', 'example.com'],
    ['https://news.example.com/a', 'news.example.com'],
    ['http://www.example.com.:8080/', 'example.com'],
    ['http://wwwexample.com/', 'wwwexample.com'],
    ['http://bücher.de/', 'xn--bcher-kva.de'],
    ['http://127.0.0.1:3000/x', '127.0.0.1'],
  ])('%s → %s', (input, expected) => {
    expect(siteOf(input)).toBe(expected);
  });

  it('refuses what is not a URL', () => {
    expect(() => siteOf('not a url')).toThrow(InvalidUrlError);
  });
});

describe('canonicalizeUrl properties', () => {
  it('is idempotent and keeps the origin for arbitrary web URLs', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (input) => {
        let once: string;
        try {
          once = canonicalizeUrl(input);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidUrlError);
          return;
        }
        expect(canonicalizeUrl(once)).toBe(once);
        expect(new URL(once).origin).toBe(new URL(input).origin.replace(/\.(?=(:\d+)?$)/, ''));
        expect(once).not.toContain('#');
      }),
      { numRuns: 500 },
    );
  });
});
