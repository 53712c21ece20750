/**
 * URL canonicalization: the dedup key of the pipeline. Two addresses of the same page must map to
 * the same string, and a string that is not a crawlable http(s) URL is refused with a reason.
 *
 * Pure: no I/O. The WHATWG URL parser does the heavy lifting (lowercases scheme and host, converts
 * IDN to punycode, normalizes IPv4 spellings, drops default ports, resolves dot segments); this
 * module adds the steps it does not do.
 */
import { InvalidUrlError } from './errors.ts';

/** Longest URL accepted, before and after canonicalization (common browser/CDN/sitemap limit). */
export const MAX_URL_LENGTH = 2048;

/** Schemes the crawler fetches; anything else (ftp:, file:, javascript:, data:) is refused. */
const ALLOWED_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:']);

/**
 * Query parameters that only say where a click came from, never which page is served, so they
 * are removed from the dedup key (matched case-insensitively). Parameters that sometimes select
 * content (`ref`, `source`, `id`, `page`) are deliberately absent: a false merge loses articles,
 * a missed merge only costs a fetch.
 */
export const TRACKING_PARAMETERS: ReadonlySet<string> = new Set([
  // Google Ads / Analytics click ids and linker
  'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', '_ga', '_gl',
  // Facebook, Instagram, Microsoft Ads, Yandex, Twitter/X, TikTok, LinkedIn
  'fbclid', 'igshid', 'igsh', 'msclkid', 'yclid', 'twclid', 'ttclid', 'li_fat_id',
  // Mailchimp, HubSpot, Marketo, Vero, Olytics email campaign ids
  'mc_cid', 'mc_eid', '_hsenc', '_hsmi', '__hstc', '__hssc', '__hsfp', 'mkt_tok', 'vero_id',
  'vero_conv', 'oly_anon_id', 'oly_enc_id',
  // Twitter embed referrers, Adobe campaign id
  'ref_src', 'ref_url', 's_cid',
]);

/** Prefixes of tracking parameter families: utm_source, utm_medium, utm_campaign, utm_id, … */
export const TRACKING_PARAMETER_PREFIXES: readonly string[] = ['utm_'];

/** A percent-encoded octet, for normalizing its hex case or decoding it. */
const PERCENT_ENCODED_OCTET = /%([0-9a-fA-F]{2})/g;

/** RFC 3986 unreserved characters: percent-encoding them changes nothing, so it is undone. */
const UNRESERVED_CHARACTER = /^[A-Za-z0-9\-._~]$/;

/**
 * The canonical form of an http(s) URL, used as the dedup key and the job id source.
 *
 * Steps: refuse what cannot be crawled (not a URL, other schemes, credentials, too long, no host);
 * then drop the fragment, drop a trailing dot of the host, remove tracking parameters, sort the
 * remaining parameters stably by name, normalize percent-encoding (decode unreserved characters,
 * uppercase hex), and drop an empty query ("?").
 *
 * @throws InvalidUrlError with a human reason.
 */
export function canonicalizeUrl(input: string): string {
  const url = parseCrawlableUrl(input);
  url.hash = '';
  dropTrailingHostDot(url);
  url.pathname = normalizePercentEncoding(url.pathname);
  url.search = canonicalQuery(url.search);
  const canonical = url.href;
  if (canonical.length > MAX_URL_LENGTH) {
    throw new InvalidUrlError(`URL longer than ${MAX_URL_LENGTH} characters`, clip(input));
  }
  return canonical;
}

/**
 * The site a URL belongs to: its host, lowercased, without a leading "www." (and without the
 * trailing dot of a fully qualified name). "https://WWW.Example.com/a" → "example.com".
 *
 * @throws InvalidUrlError "not a URL" when the input does not parse.
 */
export function siteOf(url: string): string {
  let hostname: string;
  try {
    hostname = new URL(url.trim()).hostname;
  } catch {
    throw new InvalidUrlError('not a URL', clip(url));
  }
  if (hostname === '') throw new InvalidUrlError('no host', clip(url));
  return hostname.toLowerCase().replace(/\.$/, '').replace(/^www\./, '');
}

/** Parses and validates: the checks that make a URL crawlable at all. */
function parseCrawlableUrl(input: string): URL {
  const trimmed = input.trim();
  if (trimmed.length > MAX_URL_LENGTH) {
    throw new InvalidUrlError(`URL longer than ${MAX_URL_LENGTH} characters`, clip(input));
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new InvalidUrlError('not a URL', clip(input));
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) {
    throw new InvalidUrlError(`scheme ${url.protocol} is not http or https`, clip(input));
  }
  if (url.username !== '' || url.password !== '') {
    throw new InvalidUrlError('credentials in URL', clip(input));
  }
  if (url.hostname === '' || url.hostname === '.') {
    throw new InvalidUrlError('no host', clip(input));
  }
  return url;
}

/** "example.com." names the same host as "example.com" (DNS root label). */
function dropTrailingHostDot(url: URL): void {
  if (url.hostname.endsWith('.') && !url.hostname.startsWith('[')) {
    url.hostname = url.hostname.slice(0, -1);
  }
}

/**
 * The query without tracking parameters, sorted stably by decoded name, "" when nothing is left.
 * Works on the raw "name=value" pairs so values keep their exact encoding (URLSearchParams would
 * rewrite "%20" as "+" and "?flag" as "?flag=", which some servers treat differently).
 */
function canonicalQuery(search: string): string {
  const pairs = search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => ({ pair: normalizePercentEncoding(pair), name: parameterName(pair) }))
    .filter(({ name }) => !isTrackingParameter(name));
  if (pairs.length === 0) return '';
  // Array.prototype.sort is stable (ES2019): repeated names keep their relative order.
  pairs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `?${pairs.map(({ pair }) => pair).join('&')}`;
}

/** The decoded name of a "name=value" pair (form-decoding: "+" is a space). */
function parameterName(pair: string): string {
  const rawName = pair.split('=', 1)[0] ?? '';
  try {
    return decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    return rawName;
  }
}

function isTrackingParameter(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    TRACKING_PARAMETERS.has(lower) ||
    TRACKING_PARAMETER_PREFIXES.some((prefix) => lower.startsWith(prefix))
  );
}

/** RFC 3986 §6.2.2: decode percent-encoded unreserved characters, uppercase the remaining hex. */
function normalizePercentEncoding(component: string): string {
  return component.replace(PERCENT_ENCODED_OCTET, (_match, hex: string) => {
    const character = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED_CHARACTER.test(character) ? character : `%${hex.toUpperCase()}`;
  });
}

function clip(input: string): string {
  return input.length > 200 ? `${input.slice(0, 200)}…` : input;
}
