/**
 * One thread of the extraction pool (extraction-pool.ts): it loads the extractor once, says it
 * is ready, then extracts each page it is sent (a page sent as bytes is decoded here first, with
 * its real charset) and posts the result back. The extractor is pure and never throws; a failure
 * here (a result that cannot be posted) is reported, not thrown, so the thread lives on.
 */
import { parentPort } from 'node:worker_threads';
import { extractArticle, type SiteProfile } from '../src/extract/index.ts';
import { decodeHtml } from '../src/fetch/charset.ts';
import { warmUpExtractor } from '../src/extract/warm-up.ts';
import type { ThreadPage, ThreadReply, ThreadRequest } from './extraction-pool.ts';

if (parentPort === null) throw new Error('extraction-thread.ts runs as a worker thread of the extraction pool');
const port = parentPort;

let profiles: readonly SiteProfile[] = [];

port.on('message', (request: ThreadRequest) => {
  if (request.profiles !== undefined) profiles = request.profiles;
  let reply: ThreadReply;
  try {
    const result = extractArticle(pageText(request.page), {
      url: request.url,
      retrievedAt: request.retrievedAt,
      now: new Date(request.nowMs),
      profiles,
    });
    reply = { type: 'done', id: request.id, result };
  } catch (error) {
    reply = { type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) };
  }
  try {
    port.postMessage(reply);
  } catch (error) {
    port.postMessage({ type: 'failed', id: request.id, message: `result could not be sent: ${String(error)}` } satisfies ThreadReply);
  }
});

// Before the first real page, so V8 compiles the extractor with feedback from whole pages (warm-up.ts).
warmUpExtractor();
port.postMessage({ type: 'ready' } satisfies ThreadReply);

/** The page's text: as sent, or its bytes decoded as a browser would (charset.ts). */
function pageText(page: ThreadPage): string {
  return 'html' in page ? page.html : decodeHtml(page.bytes, page.contentType).text;
}
