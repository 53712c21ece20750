/**
 * Fetching one page: a GET with timeouts and a body cap, redirects followed by hand (each hop
 * re-validated, loops detected), only HTML read, the body decoded with its real charset.
 * Every outcome that is not a page is a typed FetchError (fetch-errors.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { canonicalizeUrl } from '../url/canonicalize.ts';
import { InvalidUrlError } from '../url/errors.ts';
import { decodeHtml, isHtmlContentType } from './charset.ts';
import { PermanentFetchError, toFetchError } from './fetch-errors.ts';
import { readBody } from './read-body.ts';
import { header, REDIRECT_STATUSES, statusError } from './http-status.ts';

export interface FetchPageOptions {
  dispatcher: Dispatcher;
  userAgent: string;
  /** Limit for connecting, for the response headers, and for the whole body. */
  timeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  /** Validators of the last fetch: sent as If-None-Match / If-Modified-Since. */
  etag?: string | null;
  lastModified?: string | null;
  /** Aborts the request (worker shutdown). */
  signal?: AbortSignal;
  /** The clock, for Retry-After dates and timings. */
  now?: () => number;
  /**
   * Which content types are read; others are refused before the body is read.
   * @defaultValue HTML and XHTML only
   */
  acceptContentType?: (contentType: string) => boolean;
  /** Accept header. @defaultValue HTML first, XHTML too */
  accept?: string;
  /**
   * Called as each request (each redirect hop) is written to its connection (undici's
   * onRequestStart, just before the request line goes out), not when it is queued: a busy event
   * loop or a connect in between would otherwise make the recorded start earlier than the real
   * one, and the next request of the host could reach it sooner than the delay allows. The
   * politeness layer records the start time there.
   */
  onRequestSent?: () => Promise<void>;
}

interface FetchedCommon {
  /** The URL asked for. */
  url: string;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  status: number;
  etag: string | null;
  lastModified: string | null;
  /** Milliseconds from the first request to the last body byte. */
  fetchMs: number;
}

export type FetchPageResult =
  | (FetchedCommon & { kind: 'page'; html: string; encoding: string; contentType: string | null })
  | (FetchedCommon & { kind: 'not-modified' });

/**
 * A fetch whose page is left as the bytes it came in, with the Content-Type that tells their
 * charset: what the fetch worker hands to an extraction thread, which decodes it there (the
 * bytes are transferred to the thread, not copied, and the text never exists on the event
 * loop's heap).
 */
export type FetchPageBytesResult =
  | (FetchedCommon & { kind: 'page'; body: PageBody })
  | (FetchedCommon & { kind: 'not-modified' });

/** A page's bytes as read (decompressed, not decoded), and the Content-Type header they came with. */
export interface PageBody {
  bytes: Uint8Array;
  contentType: string | null;
}

/** What we accept: HTML first, XHTML too; anything else is refused before the body is read. */
const ACCEPT_HEADER = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1';

/** Fetch a page and decode its body with its real charset (see charset.ts). */
export async function fetchPage(url: string, options: FetchPageOptions): Promise<FetchPageResult> {
  const fetched = await fetchPageBytes(url, options);
  if (fetched.kind === 'not-modified') return fetched;
  const { body, ...common } = fetched;
  const decoded = decodeHtml(body.bytes, body.contentType);
  return { ...common, html: decoded.text, encoding: decoded.encoding, contentType: body.contentType };
}

/** Fetch a page and leave its body as bytes (see {@link FetchPageBytesResult}). */
export async function fetchPageBytes(url: string, options: FetchPageOptions): Promise<FetchPageBytesResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + options.timeoutMs;
  const visited = new Set<string>();
  let current = url;
  for (let hop = 0; ; hop++) {
    visited.add(current);
    const response = await send(current, options, deadline - now());
    const { statusCode: status, headers } = response;
    if (REDIRECT_STATUSES.has(status)) {
      await discard(response.body);
      const next = redirectTarget(current, header(headers, 'location'));
      if (visited.has(next)) throw new PermanentFetchError('redirect-loop', `redirect loop: ${current} → ${next}`);
      if (hop >= options.maxRedirects) {
        throw new PermanentFetchError('too-many-redirects', `more than ${options.maxRedirects} redirects (last to ${next})`);
      }
      current = next;
      continue;
    }
    const common = {
      url,
      finalUrl: current,
      status,
      etag: header(headers, 'etag'),
      lastModified: header(headers, 'last-modified'),
    };
    if (status === 304) {
      await discard(response.body);
      return { ...common, kind: 'not-modified', fetchMs: now() - started };
    }
    if (status < 200 || status >= 300) {
      await discard(response.body);
      throw statusError(status, header(headers, 'retry-after'), now());
    }
    const contentType = header(headers, 'content-type');
    if (contentType !== null && !(options.acceptContentType ?? isHtmlContentType)(contentType)) {
      await discard(response.body);
      throw new PermanentFetchError('not-html', `content type ${contentType} is not HTML`);
    }
    const bytes = await readBody(response.body, {
      maxBytes: options.maxBodyBytes,
      contentEncoding: header(headers, 'content-encoding'),
      deadline,
    });
    return { ...common, kind: 'page', body: { bytes, contentType }, fetchMs: now() - started };
  }
}

async function send(url: string, options: FetchPageOptions, remainingMs: number): Promise<Dispatcher.ResponseData> {
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: options.accept ?? ACCEPT_HEADER,
    'accept-encoding': 'gzip, deflate, br',
    'accept-language': '*',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  const remaining = Math.max(1, remainingMs);
  let started: Promise<void> | null = null;
  const onSent = options.onRequestSent;
  const dispatcher = onSent
    ? options.dispatcher.compose((dispatch) => (opts, handler) => dispatch(opts, new RequestStartHandler(handler, () => (started ??= markStarted(onSent)))))
    : options.dispatcher;
  try {
    const response = await request(url, {
      method: 'GET',
      dispatcher,
      headers,
      headersTimeout: remaining,
      bodyTimeout: remaining,
      signal: options.signal,
    });
    if (started) {
      // The start was recorded when the request went out; its round trip has finished by now.
      try {
        await started;
      } catch (error) {
        // Nobody will read this response: drop it, so its connection is not held.
        await discard(response.body);
        throw error;
      }
    }
    return response;
  } catch (error) {
    throw toFetchError(error, 'response-head');
  }
}

/** Resolve and re-validate a redirect's Location: the same rules as an enqueued URL. */
function redirectTarget(from: string, location: string | null): string {
  if (location === null || location.trim() === '') {
    throw new PermanentFetchError('bad-redirect', `redirect from ${from} without a Location header`);
  }
  let absolute: string;
  try {
    absolute = new URL(location.trim(), from).href;
  } catch {
    throw new PermanentFetchError('bad-redirect', `redirect from ${from} to an unusable Location ${JSON.stringify(location)}`);
  }
  try {
    return canonicalizeUrl(absolute);
  } catch (error) {
    const reason = error instanceof InvalidUrlError ? error.reason : String(error);
    throw new PermanentFetchError('invalid-url', `redirect to ${absolute} refused: ${reason}`);
  }
}



/**
 * Drop a body we will not read, without waiting for a slow server to send it. Destroying an
 * unread undici body emits an abort error; nobody is listening for it, so it is swallowed here.
 */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  body.on('error', () => {});
  body.destroy();
}

/** Run the start hook; its failure is handled when the response is (no unhandled rejection meanwhile). */
function markStarted(hook: () => Promise<void>): Promise<void> {
  const running = hook();
  running.catch(() => {});
  return running;
}

/**
 * Passes a dispatch's events through to undici's own handler, calling `onStart` first when the
 * request is written to its connection (onRequestStart).
 */
class RequestStartHandler implements Dispatcher.DispatchHandler {
  private readonly inner: Dispatcher.DispatchHandler;
  private readonly onStart: () => void;

  constructor(inner: Dispatcher.DispatchHandler, onStart: () => void) {
    this.inner = inner;
    this.onStart = onStart;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.onStart();
    this.inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, socket: Duplex): void {
    this.inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    this.inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.inner.onResponseError?.(controller, error);
  }

  onResponseStarted(): void {
    this.inner.onResponseStarted?.();
  }

  onBodySent(chunk: Buffer): void {
    this.inner.onBodySent?.(chunk);
  }

  onRequestSent(): void {
    this.inner.onRequestSent?.();
  }
}
