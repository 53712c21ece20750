/**
 * Servers that close the connection after every response (HTTP/1.0 style, `Connection: close`
 * without Content-Length, an abrupt end or tear-down right after the body) fetched a few hundred
 * times: the process never dies (undici 7's HTTP/1 parser asserted `!this.paused` on socket end
 * when a body had arrived unread, an uncatchable crash: undici#5360, fixed in undici 8 by #5474),
 * every complete response is a page, and a torn-down one at worst a retryable reset.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpReply, startRawHttpServer, type RawHttpServer, type RawReply } from '../helpers/raw-http-server.ts';

const CHILD = fileURLToPath(new URL('../helpers/fetch-many.ts', import.meta.url));
const FETCHES_PER_KIND = 80;
const CONCURRENCY = 16;

/** Bodies from 8 KiB to 96 KiB: around the 64 KiB at which an unread body pauses the parser. */
const BODY_SIZES = Array.from({ length: 12 }, (_, k) => 8192 * (k + 1));
const HTML = { 'content-type': 'text/html; charset=utf-8' };

function body(bytes: number): string {
  const paragraph = '<p>A paragraph of the page, repeated to make up its size.</p>';
  return `<html><body>${paragraph.repeat(Math.ceil(bytes / paragraph.length))}</body></html>`;
}

/** Every kind of closing reply, one route per body size. */
function routes(): Record<string, RawReply> {
  const all: Record<string, RawReply> = {};
  BODY_SIZES.forEach((size, n) => {
    const page = body(size);
    const length = String(Buffer.byteLength(page));
    all[`/http10/${n}`] = { bytes: httpReply('HTTP/1.0 200 OK', HTML, page), then: 'end' };
    all[`/close-no-length/${n}`] = { bytes: httpReply('HTTP/1.1 200 OK', { ...HTML, connection: 'close' }, page), then: 'end' };
    all[`/close-with-length/${n}`] = { bytes: httpReply('HTTP/1.1 200 OK', { ...HTML, connection: 'close', 'content-length': length }, page), then: 'end' };
    // Keep-alive by the headers, yet the server ends the connection right after the body.
    all[`/abrupt-end/${n}`] = { bytes: httpReply('HTTP/1.1 200 OK', { ...HTML, 'content-length': length }, page), then: 'end' };
    all[`/abrupt-destroy/${n}`] = { bytes: httpReply('HTTP/1.1 200 OK', { ...HTML, 'content-length': length }, page), then: 'destroy' };
  });
  return all;
}

const KINDS = ['http10', 'close-no-length', 'close-with-length', 'abrupt-end', 'abrupt-destroy'];

let server: RawHttpServer;

beforeAll(async () => {
  server = await startRawHttpServer(routes());
});

afterAll(async () => {
  await server?.close();
});

function runChild(urls: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(CONCURRENCY), ...urls], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('servers that close the connection after every response', () => {
  it('never take the fetching process down, and every complete response is a page', async () => {
    const urls = KINDS.flatMap((kind) => Array.from({ length: FETCHES_PER_KIND }, (_, i) => server.url(`/${kind}/${i % BODY_SIZES.length}`)));
    const result = await runChild(urls);
    expect(result.stderr).not.toContain('AssertionError');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Record<'fetchPage' | 'lateRead', { pages: number; failures: Record<string, number> }>;
    for (const [how, tally] of Object.entries(report)) {
      // Only a connection torn down right after its body may fail, and only as a retryable reset.
      expect(Object.keys(tally.failures).every((reason) => reason === 'retryable:connection-reset'), how).toBe(true);
      expect(tally.pages + (tally.failures['retryable:connection-reset'] ?? 0), how).toBe(urls.length);
      expect(tally.pages, how).toBeGreaterThanOrEqual((KINDS.length - 1) * FETCHES_PER_KIND);
    }
    // Each page came over a connection of its own, which the server closed after that reply. (A
    // request the client wrote on a connection the server was closing, before it saw the close,
    // is one of the resets counted above: no connection of its own, so not 2 × urls.length.)
    expect(server.connections).toBeGreaterThanOrEqual(report.fetchPage.pages + report.lateRead.pages);
  }, 120_000);
});
