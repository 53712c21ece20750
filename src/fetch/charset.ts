/**
 * Charset: turning a page's bytes into text the way a browser would, so windows-1256,
 * windows-1252, ISO-8859-x and UTF-8 pages all come out right. Pure (bytes in, text out); used by
 * the fetcher and by `ingest extract` on saved files.
 *
 * Precedence (the WHATWG "encoding sniffing algorithm", encoding-sniffer's implementation):
 * 1. a byte order mark;
 * 2. the charset of the HTTP Content-Type;
 * 3. `<meta charset>` / `<meta http-equiv="Content-Type" content="…charset=…">` (or an XML
 *    declaration) in the first PRESCAN_BYTES bytes;
 * 4. UTF-8 if the bytes are valid UTF-8, else windows-1252 (the web's legacy default).
 * Labels follow the WHATWG Encoding Standard: "iso-8859-1", "latin1" and "ascii" all mean
 * windows-1252, as in every browser.
 */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { ResultType, Sniffer } from 'encoding-sniffer/sniffer';

/**
 * Bytes searched for a meta charset. The standard says 1024; news pages often put analytics
 * scripts and long `<link>` lists before their `<meta charset>`, so we look further.
 */
export const PRESCAN_BYTES = 8192;

/** The longest byte order mark (UTF-8's EF BB BF; UTF-16's are two bytes). */
const BYTE_ORDER_MARK_BYTES = 3;

/** The fallback for undeclared bytes that are not valid UTF-8 (WHATWG default for most locales). */
const LEGACY_DEFAULT_ENCODING = 'windows-1252';

/** Media types we treat as HTML; everything else is refused before the body is read. */
const HTML_MEDIA_TYPES: ReadonlySet<string> = new Set(['text/html', 'application/xhtml+xml']);

export interface DecodedHtml {
  text: string;
  /** WHATWG encoding name, lowercased: "utf-8", "windows-1256", "windows-1252", "iso-8859-2", … */
  encoding: string;
}

/** Decodes an HTML document's bytes with the encoding a browser would pick (see module doc). */
export function decodeHtml(bytes: Uint8Array, contentType: string | null): DecodedHtml {
  const encoding = sniffEncoding(bytes, contentType);
  return { text: decode(bytes, encoding), encoding };
}

/** The encoding `decodeHtml` would use, lowercased WHATWG name. */
export function sniffEncoding(bytes: Uint8Array, contentType: string | null): string {
  const transportLabel = contentType === null ? null : charsetFromContentType(contentType);
  const sniffer = new Sniffer({
    maxBytes: PRESCAN_BYTES,
    ...(transportLabel === null ? {} : { transportLayerEncodingLabel: transportLabel }),
  });
  // A usable HTTP charset outranks everything but a byte order mark, so only the mark's bytes
  // are read then; the prescan of PRESCAN_BYTES (a JavaScript loop over each byte, a few percent
  // of a page's extraction time) is for pages without one.
  sniffer.write(bytes.subarray(0, sniffer.resultType === ResultType.PASSED ? BYTE_ORDER_MARK_BYTES : PRESCAN_BYTES));
  if (sniffer.resultType !== ResultType.DEFAULT) return normalizeName(sniffer.encoding);
  return isUtf8(bytes) ? 'utf-8' : LEGACY_DEFAULT_ENCODING;
}

/** True for text/html and application/xhtml+xml, with or without parameters, any case. */
export function isHtmlContentType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return HTML_MEDIA_TYPES.has(mediaType);
}

/** The charset parameter of a Content-Type header ("text/html; charset=\"UTF-8\"" → "UTF-8"). */
export function charsetFromContentType(contentType: string): string | null {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^;\s]*))/i.exec(contentType);
  const label = (match?.[1] ?? match?.[2] ?? match?.[3] ?? '').trim();
  return label === '' ? null : label;
}

function decode(bytes: Uint8Array, encoding: string): string {
  // UTF-8: the native WHATWG decoder (strips a BOM, replaces invalid bytes with U+FFFD).
  if (encoding === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  // Legacy encodings: iconv-lite first, because Node's TextDecoder decodes windows-1252 as
  // ISO-8859-1 (0x80–0x9F become C1 controls instead of “ ” € – …); TextDecoder only for the
  // few WHATWG encodings iconv-lite lacks (ISO-2022-JP, x-mac-cyrillic).
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (iconv.encodingExists(encoding)) return iconv.decode(buffer, encoding);
  try {
    return new TextDecoder(encoding).decode(bytes);
  } catch {
    return iconv.decode(buffer, LEGACY_DEFAULT_ENCODING);
  }
}

function normalizeName(name: string): string {
  return name.toLowerCase();
}
