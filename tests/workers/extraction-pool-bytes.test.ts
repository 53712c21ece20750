/**
 * Pages handed to the extraction pool as bytes (what the fetch worker does): the thread decodes
 * them with their real charset and returns what in-process extraction of the decoded text
 * returns; a buffer the bytes own whole is transferred (detached here, not copied), and bytes
 * that share a buffer (a small Buffer from Node's pool) are copied, so nothing else is detached.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/index.ts';
import { decodeHtml } from '../../src/fetch/charset.ts';
import { silentLogger } from '../../src/log.ts';
import { ExtractionPool } from '../../workers/extraction-pool.ts';
import { GOLDEN_PAGE } from '../helpers/article-site-server.ts';

const OPTIONS = { url: 'https://theiranproject.com/vdcjhhe8auqemaz.92fu.html', retrievedAt: '2024-05-01T10:00:00Z', now: new Date('2024-05-01T10:00:00Z') };

/** A Persian article in windows-1256, its charset declared only in a meta tag. */
const PERSIAN_PAGE = iconv.encode(
  `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"><title>خبر</title></head>` +
    `<body><article><p>${'این یک پاراگراف از متن خبر است که به اندازه کافی بلند است. '.repeat(6)}</p></article></body></html>`,
  'windows-1256',
);

describe('ExtractionPool.extractBytes', () => {
  let pool: ExtractionPool;

  beforeAll(async () => {
    pool = new ExtractionPool({ threads: 1, timeoutMs: 20_000, memoryMb: 128, logger: silentLogger });
    await pool.ready;
  }, 60_000);

  afterAll(async () => {
    await pool?.close();
  });

  it('decodes a legacy charset in the thread and returns what extracting the decoded text returns', async () => {
    const expected = extractArticle(decodeHtml(PERSIAN_PAGE, null).text, OPTIONS);
    expect(expected.article.text).toContain('پاراگراف');
    const result = await pool.extractBytes({ bytes: new Uint8Array(PERSIAN_PAGE), contentType: 'text/html' }, OPTIONS);
    expect(result).toEqual(expected);
  });

  it('honours the charset of the Content-Type over the bytes', async () => {
    const latin = iconv.encode(`<html><body><article><p>${'Caf\u00e9 cr\u00e8me au caf\u00e9 du coin, tous les matins. '.repeat(8)}</p></article></body></html>`, 'windows-1252');
    const result = await pool.extractBytes({ bytes: new Uint8Array(latin), contentType: 'text/html; charset=windows-1252' }, OPTIONS);
    expect(result.article.text).toContain('Café crème');
  });

  it('transfers a buffer the bytes own whole: it is detached here, not copied', async () => {
    const bytes = new TextEncoder().encode(GOLDEN_PAGE);
    expect(bytes.byteLength).toBeGreaterThan(1000);
    const result = await pool.extractBytes({ bytes, contentType: 'text/html; charset=utf-8' }, OPTIONS);
    expect(result).toEqual(extractArticle(GOLDEN_PAGE, OPTIONS));
    expect(bytes.byteLength).toBe(0);
  });

  it('copies bytes that share their buffer, so the neighbours in it stay intact', async () => {
    const page = '<html><body><article><p>A short page of the shared pool, long enough to count as text here.</p></article></body></html>';
    const bytes = Buffer.from(page);
    const neighbour = Buffer.from('a neighbour in the same pool');
    expect(neighbour.buffer).toBe(bytes.buffer); // both are slices of Node's allocation pool
    const result = await pool.extractBytes({ bytes, contentType: 'text/html' }, OPTIONS);
    expect(result).toEqual(extractArticle(page, OPTIONS));
    expect(bytes.toString()).toBe(page);
    expect(neighbour.toString()).toBe('a neighbour in the same pool');
  });
});
