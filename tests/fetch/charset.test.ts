import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  charsetFromContentType,
  decodeHtml,
  isHtmlContentType,
  PRESCAN_BYTES,
  sniffEncoding,
} from '../../src/fetch/charset.ts';

// Arabic yeh (U+064A), as windows-1256 has no Farsi yeh (U+06CC): real pages in it look like this.
const PERSIAN = 'خبرگزاري فارس: بارش باران در تهران ادامه دارد، گفت پژوهشگر';
const FRENCH = 'Le café de la rue Saint-Honoré; Grüße aus Köln, señor';
const POLISH = 'Zażółć gęślą jaźń';

function page(head: string, body: string): string {
  return `<!doctype html><html><head>${head}<title>t</title></head><body><p>${body}</p></body></html>`;
}

describe('decodeHtml', () => {
  it('decodes windows-1256 declared only by http-equiv', () => {
    const bytes = iconv.encode(
      page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">', PERSIAN),
      'windows-1256',
    );
    const { text, encoding } = decodeHtml(bytes, 'text/html');
    expect(encoding).toBe('windows-1256');
    expect(text).toContain(PERSIAN);
  });

  it('decodes ISO-8859-1 declared only by meta charset (as windows-1252, like browsers)', () => {
    const bytes = iconv.encode(page('<meta charset="ISO-8859-1">', FRENCH), 'latin1');
    const { text, encoding } = decodeHtml(bytes, null);
    expect(encoding).toBe('windows-1252');
    expect(text).toContain(FRENCH);
  });

  it('decodes windows-1252 specials (curly quotes, euro) that ISO-8859-1 lacks', () => {
    const bytes = iconv.encode(page("<meta charset='windows-1252'>", '“Price: 5 €” – ok'), 'windows-1252');
    expect(decodeHtml(bytes, null).text).toContain('“Price: 5 €” – ok');
  });

  it('decodes ISO-8859-2', () => {
    const bytes = iconv.encode(page('<meta charset=iso-8859-2>', POLISH), 'iso-8859-2');
    const { text, encoding } = decodeHtml(bytes, 'text/html');
    expect(encoding).toBe('iso-8859-2');
    expect(text).toContain(POLISH);
  });

  it('prefers the HTTP charset over the meta tag', () => {
    const bytes = iconv.encode(page('<meta charset="utf-8">', PERSIAN), 'windows-1256');
    const { text, encoding } = decodeHtml(bytes, 'text/html; charset="windows-1256"');
    expect(encoding).toBe('windows-1256');
    expect(text).toContain(PERSIAN);
  });

  it('prefers a BOM over the HTTP charset', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page('', PERSIAN))]);
    const { text, encoding } = decodeHtml(bytes, 'text/html; charset=windows-1256');
    expect(encoding).toBe('utf-8');
    expect(text).toContain(PERSIAN);
    expect(text.charCodeAt(0)).not.toBe(0xfeff); // the BOM is not part of the text
  });

  it('prefers a UTF-16 BOM over the HTTP charset (only the mark is read when the charset is usable)', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(page('<meta charset="windows-1256">', PERSIAN), 'utf-16le')]);
    expect(decodeHtml(le, 'text/html; charset=utf-8')).toMatchObject({ encoding: 'utf-16le' });
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(page('', PERSIAN), 'utf-16be')]);
    const { text, encoding } = decodeHtml(be, 'text/html; charset=windows-1256');
    expect(encoding).toBe('utf-16be');
    expect(text).toContain(PERSIAN);
  });

  it('decodes UTF-16 with a BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(page('', PERSIAN), 'utf-16le')]);
    const { text, encoding } = decodeHtml(bytes, null);
    expect(encoding).toBe('utf-16le');
    expect(text).toContain(PERSIAN);
  });

  it('ignores an unknown HTTP charset and falls through to the meta tag', () => {
    const bytes = iconv.encode(page('<meta charset="windows-1256">', PERSIAN), 'windows-1256');
    expect(decodeHtml(bytes, 'text/html; charset=bogus-charset').encoding).toBe('windows-1256');
  });

  it('finds a meta charset after a long head (beyond 1024 bytes)', () => {
    const head = `<script>${'var a = 1;'.repeat(300)}</script><meta charset="windows-1256">`;
    expect(head.length).toBeGreaterThan(1024);
    const bytes = iconv.encode(page(head, PERSIAN), 'windows-1256');
    const { text, encoding } = decodeHtml(bytes, 'text/html');
    expect(encoding).toBe('windows-1256');
    expect(text).toContain(PERSIAN);
  });

  it('does not look for a meta charset past the prescan window', () => {
    const padding = `<!-- ${'x'.repeat(PRESCAN_BYTES)} -->`;
    const bytes = iconv.encode(page(`${padding}<meta charset="windows-1256">`, 'abc'), 'windows-1256');
    expect(sniffEncoding(bytes, null)).toBe('utf-8'); // undeclared and ASCII: valid UTF-8
  });

  it('reads an XML declaration', () => {
    const bytes = iconv.encode(`<?xml version="1.0" encoding="windows-1256"?><html><body>${PERSIAN}</body></html>`, 'windows-1256');
    expect(decodeHtml(bytes, 'application/xhtml+xml').text).toContain(PERSIAN);
  });

  it('falls back to UTF-8 for undeclared valid UTF-8', () => {
    const { text, encoding } = decodeHtml(Buffer.from(page('', PERSIAN)), null);
    expect(encoding).toBe('utf-8');
    expect(text).toContain(PERSIAN);
  });

  it('falls back to windows-1252 for undeclared bytes that are not UTF-8', () => {
    const { text, encoding } = decodeHtml(iconv.encode(page('', FRENCH), 'windows-1252'), 'text/html');
    expect(encoding).toBe('windows-1252');
    expect(text).toContain(FRENCH);
  });

  it('decodes an empty body', () => {
    expect(decodeHtml(new Uint8Array(0), 'text/html')).toEqual({ text: '', encoding: 'utf-8' });
  });

  it('replaces invalid bytes in a declared UTF-8 page instead of failing', () => {
    const bytes = Buffer.concat([Buffer.from('<meta charset="utf-8"><p>a'), Buffer.from([0xff]), Buffer.from('b</p>')]);
    expect(decodeHtml(bytes, null).text).toContain('a\uFFFDb');
  });
});

describe('charsetFromContentType', () => {
  it.each([
    ['text/html; charset=UTF-8', 'UTF-8'],
    ['text/html;charset="windows-1256"', 'windows-1256'],
    ["text/html; Charset='iso-8859-1'", 'iso-8859-1'],
    ['text/html; foo=bar; charset=utf-8; x=y', 'utf-8'],
    ['text/html', null],
    ['text/html; charset=', null],
  ])('%s → %s', (contentType, expected) => {
    expect(charsetFromContentType(contentType)).toBe(expected);
  });
});

describe('isHtmlContentType', () => {
  it.each([
    ['text/html', true],
    ['text/html; charset=utf-8', true],
    ['TEXT/HTML;charset=UTF-8', true],
    ['application/xhtml+xml', true],
    [' text/html ', true],
    ['application/pdf', false],
    ['text/plain', false],
    ['application/json', false],
    ['text/htmlx', false],
    ['', false],
    [null, false],
  ])('%s → %s', (contentType, expected) => {
    expect(isHtmlContentType(contentType)).toBe(expected);
  });
});

describe('legacy single-byte decoding', () => {
  it('maps every windows-1252 byte 0x80–0x9F as browsers do, not as C1 controls', () => {
    const bytes = Buffer.from([0x80, 0x82, 0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99]);
    expect(decodeHtml(bytes, 'text/html; charset=windows-1252').text).toBe('€‚…‘’“”–—™');
  });

  it('round-trips every byte of windows-1256', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const { text } = decodeHtml(bytes, 'text/html; charset=windows-1256');
    expect(iconv.encode(text, 'windows-1256').equals(bytes)).toBe(true);
    expect(text).not.toContain('\uFFFD');
  });
});
