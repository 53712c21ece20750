/**
 * The fault server's routes, fetched through the guarded agent (loopback allowed explicitly) and
 * read with readBody/decodeHtml: each fault ends in the typed outcome the fetcher will record.
 */
import { request, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHtml, isHtmlContentType } from '../../src/fetch/charset.ts';
import { toFetchError, type FetchError } from '../../src/fetch/fetch-errors.ts';
import { createGuardedAgent } from '../../src/fetch/guarded-agent.ts';
import { readBody } from '../../src/fetch/read-body.ts';
import { parseRobots } from '../../src/fetch/robots.ts';
import {
  LATIN1_TEXT,
  NOT_MODIFIED_ETAG,
  NOT_MODIFIED_LAST_MODIFIED,
  OK_TITLE,
  RETRY_AFTER_SECONDS,
  startFaultServer,
  WIN1256_TEXT,
  type FaultServer,
} from '../helpers/fault-server.ts';

const MAX_BYTES = 10 * 1024 * 1024;

let server: FaultServer;
let dispatcher: Dispatcher;

beforeAll(async () => {
  server = await startFaultServer();
  dispatcher = createGuardedAgent({
    allowPrivateNetworks: false,
    allowedRanges: ['127.0.0.0/8'],
    connectTimeoutMs: 2000,
    headersTimeoutMs: 500,
  });
});
afterAll(async () => {
  await dispatcher.close();
  await server.close();
});

function header(response: Dispatcher.ResponseData, name: string): string | null {
  const value = response.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

async function get(path: string, headers: Record<string, string> = {}): Promise<Dispatcher.ResponseData> {
  return request(server.url(path), { dispatcher, headers: { 'accept-encoding': 'gzip, deflate, br', ...headers } });
}

async function page(path: string, deadlineMs = 5000): Promise<{ status: number; text: string; encoding: string }> {
  const response = await get(path);
  const bytes = await readBody(response.body, {
    maxBytes: MAX_BYTES,
    contentEncoding: header(response, 'content-encoding'),
    deadline: Date.now() + deadlineMs,
  });
  return { status: response.statusCode, ...decodeHtml(bytes, header(response, 'content-type')) };
}

async function outcome(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    return toFetchError(error);
  }
  throw new Error('expected a failure');
}

describe('fault server', () => {
  it('/ok serves an article', async () => {
    const { status, text, encoding } = await page('/ok');
    expect(status).toBe(200);
    expect(encoding).toBe('utf-8');
    expect(text).toContain(`<h1>${OK_TITLE}</h1>`);
    expect(server.requests.at(-1)).toMatchObject({ path: '/ok', host: `127.0.0.1:${server.port}` });
  });

  it('/slow-headers trips the headers timeout (retryable)', async () => {
    const error = await outcome(get('/slow-headers?ms=3000'));
    expect(error.kind).toBe('retryable');
    expect(error.reason).toBe('timeout');
  });

  it('/trickle is cut off at the body deadline (retryable)', async () => {
    const started = Date.now();
    const error = await outcome(page('/trickle', 1200));
    expect(error.kind).toBe('retryable');
    expect(error.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it.each([
    ['/500', 500, null],
    ['/503-retry-after', 503, String(RETRY_AFTER_SECONDS)],
    ['/429-retry-after', 429, String(RETRY_AFTER_SECONDS)],
  ])('%s answers %i with Retry-After %s', async (path, status, retryAfter) => {
    const response = await get(path);
    await response.body.dump();
    expect(response.statusCode).toBe(status);
    expect(header(response, 'retry-after')).toBe(retryAfter);
  });

  it.each(['/503-retry-after-date', '/429-retry-after-date'])('%s gives Retry-After as an HTTP-date', async (path) => {
    const response = await get(path);
    await response.body.dump();
    const at = Date.parse(header(response, 'retry-after') ?? '');
    expect(at - Date.now()).toBeGreaterThan(0);
    expect(at - Date.now()).toBeLessThanOrEqual(RETRY_AFTER_SECONDS * 1000);
  });

  it('/reset fails as a retryable connection reset', async () => {
    const error = await outcome(get('/reset'));
    expect(error.kind).toBe('retryable');
    expect(error.reason).toBe('connection-reset');
  });

  it('/reset-mid-body fails while reading the body as a retryable connection reset', async () => {
    const error = await outcome(page('/reset-mid-body'));
    expect(error.kind).toBe('retryable');
    expect(error.reason).toBe('connection-reset');
  });

  it('/redirect-loop redirects back and forth', async () => {
    const first = await get('/redirect-loop');
    await first.body.dump();
    expect(first.statusCode).toBe(302);
    expect(header(first, 'location')).toBe('/redirect-loop-b');
    const second = await get('/redirect-loop-b');
    await second.body.dump();
    expect(header(second, 'location')).toBe('/redirect-loop');
  });

  it('/redirect-chain/N counts down to /ok', async () => {
    const response = await get('/redirect-chain/3');
    await response.body.dump();
    expect(header(response, 'location')).toBe('/redirect-chain/2');
    const last = await get('/redirect-chain/1');
    await last.body.dump();
    expect(header(last, 'location')).toBe('/ok');
  });

  it('/redirect-metadata points at the metadata address (not followed here)', async () => {
    const response = await get('/redirect-metadata');
    await response.body.dump();
    expect(header(response, 'location')).toBe('http://169.254.169.254/latest/meta-data/');
  });

  it('/big is stopped at maxBytes without buffering 200 MB', async () => {
    const response = await get('/big');
    expect(header(response, 'content-length')).toBe(String(200 * 1024 * 1024));
    const before = process.memoryUsage().rss;
    const error = await outcome(readBody(response.body, { maxBytes: MAX_BYTES, contentEncoding: null }));
    expect(error.kind).toBe('permanent');
    expect(error.reason).toBe('too-large');
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('/gzip-bomb is stopped early as a decompression bomb', async () => {
    const response = await get('/gzip-bomb');
    expect(header(response, 'content-encoding')).toBe('gzip');
    const before = process.memoryUsage().rss;
    const error = await outcome(
      readBody(response.body, { maxBytes: MAX_BYTES, contentEncoding: header(response, 'content-encoding') }),
    );
    expect(error.kind).toBe('permanent');
    expect(error.reason).toBe('decompression-bomb');
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('/pdf is not HTML', async () => {
    const response = await get('/pdf');
    await response.body.dump();
    expect(isHtmlContentType(header(response, 'content-type'))).toBe(false);
  });

  it('/empty has an empty HTML body', async () => {
    expect(await page('/empty')).toEqual({ status: 200, text: '', encoding: 'utf-8' });
  });

  it('/win1256 decodes by its meta tag', async () => {
    const { text, encoding } = await page('/win1256');
    expect(encoding).toBe('windows-1256');
    expect(text).toContain(WIN1256_TEXT);
  });

  it('/latin1 decodes by its meta tag', async () => {
    const { text, encoding } = await page('/latin1');
    expect(encoding).toBe('windows-1252');
    expect(text).toContain(LATIN1_TEXT);
  });

  it('/malformed still decodes', async () => {
    const { status, text } = await page('/malformed');
    expect(status).toBe(200);
    expect(text).toContain('Third paragraph after stray tags');
  });

  it('/not-modified honours If-None-Match and If-Modified-Since', async () => {
    const fresh = await get('/not-modified');
    await fresh.body.dump();
    expect(fresh.statusCode).toBe(200);
    expect(header(fresh, 'etag')).toBe(NOT_MODIFIED_ETAG);
    const byTag = await get('/not-modified', { 'if-none-match': NOT_MODIFIED_ETAG });
    await byTag.body.dump();
    expect(byTag.statusCode).toBe(304);
    const byDate = await get('/not-modified', { 'if-modified-since': NOT_MODIFIED_LAST_MODIFIED });
    await byDate.body.dump();
    expect(byDate.statusCode).toBe(304);
    const changed = await get('/not-modified', { 'if-none-match': '"other"' });
    await changed.body.dump();
    expect(changed.statusCode).toBe(200);
  });

  it('/robots.txt is 404 by default and configurable', async () => {
    const missing = await get('/robots.txt');
    await missing.body.dump();
    expect(missing.statusCode).toBe(404);

    server.setRobots('User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n');
    const served = await get('/robots.txt');
    const rules = parseRobots(server.url('/robots.txt'), await served.body.text());
    expect(rules.isAllowed(server.url('/private/x'), 'ArticleIngest/1.0')).toBe(false);
    expect(rules.isAllowed(server.url('/ok'), 'ArticleIngest/1.0')).toBe(true);
    expect(rules.crawlDelayMs('ArticleIngest/1.0')).toBe(1000);

    server.setRobots({ status: 503 });
    const failing = await get('/robots.txt');
    await failing.body.dump();
    expect(failing.statusCode).toBe(503);
    server.setRobots({ status: 404 });
  });

  it('records every request with its arrival time and host', () => {
    expect(server.requests.length).toBeGreaterThan(10);
    for (const recorded of server.requests) {
      expect(recorded.host).toBe(`127.0.0.1:${server.port}`);
      expect(recorded.at).toBeGreaterThan(0);
    }
  });

  it('listens on another loopback address and closes without hanging on open responses', async () => {
    const other = await startFaultServer({ host: '127.0.0.2' });
    expect(other.url('/ok')).toBe(`http://127.0.0.2:${other.port}/ok`);
    const trickling = await request(other.url('/trickle'), { dispatcher });
    const slow = request(other.url('/slow-headers?ms=20000'), { dispatcher }).catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(trickling.body.text()).rejects.toThrow();
    await slow;
  });
});
