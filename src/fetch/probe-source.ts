/**
 * Looking at a URL to tell what kind of source it is (`source add` without --kind, `source
 * discover`): one GET, the first few kilobytes read, the connection closed.
 */
import type { Dispatcher } from 'undici';
import type { SourceKind } from '../../db/schema.ts';
import { detectSourceKind } from '../discover/source-kind.ts';
import { fetchSource } from './fetch-source.ts';

/** Bytes read to tell a feed from a sitemap from a page. */
const PROBE_CHARS = 4_096;

export interface ProbeOptions {
  dispatcher: Dispatcher;
  userAgent: string;
  timeoutMs: number;
  maxRedirects: number;
}

export interface ProbeResult {
  kind: SourceKind | null;
  finalUrl: string;
  contentType: string | null;
}

/** What the URL serves; throws the FetchError of a failed fetch (404, refused address, …). */
export async function probeSource(url: string, options: ProbeOptions): Promise<ProbeResult> {
  const fetched = await fetchSource(url, { ...options, maxBytes: Number.MAX_SAFE_INTEGER });
  if (fetched.kind === 'not-modified') return { kind: null, finalUrl: fetched.finalUrl, contentType: null };
  let head = '';
  try {
    for await (const piece of fetched.text) {
      head += piece;
      if (head.length >= PROBE_CHARS) break;
    }
  } finally {
    fetched.cancel();
  }
  return { kind: detectSourceKind(fetched.contentType, head), finalUrl: fetched.finalUrl, contentType: fetched.contentType };
}

/** The whole text of a small document (robots.txt, a home page), or null when it cannot be had. */
export async function fetchSmallText(url: string, options: ProbeOptions, maxBytes: number): Promise<string | null> {
  try {
    const fetched = await fetchSource(url, { ...options, maxBytes });
    if (fetched.kind === 'not-modified') return null;
    let text = '';
    for await (const piece of fetched.text) text += piece;
    return text;
  } catch {
    return null;
  }
}
