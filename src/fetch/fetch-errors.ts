/**
 * Fetch outcomes that are not a page, as typed errors. The type decides what the queue does
 * (one place maps it: BullMQ's UnrecoverableError for permanent, a retry with backoff for
 * retryable, a delayed job for a politeness delay); the `reason` is the short code recorded per
 * URL and counted by `ingest status`.
 */
import { errors as undiciErrors } from 'undici';

/** What the queue should do with the job. */
export type FetchErrorKind = 'permanent' | 'retryable' | 'delay';

/**
 * Short machine-ish codes for recorded outcomes. `http-<status>` covers every HTTP status that
 * ends a fetch ("http-404", "http-503").
 */
export type FetchFailureReason =
  /** The address connected to (or the URL's literal host) is loopback/private/link-local/…. */
  | 'forbidden-address'
  /** Not a crawlable URL (scheme, credentials, length), including a redirect Location. */
  | 'invalid-url'
  /** Connect, header or whole-body time limit exceeded. */
  | 'timeout'
  /** The body exceeded MAX_BODY_BYTES (raw, or after decompression when not a bomb). */
  | 'too-large'
  /** Decompressed size ran away from the compressed size (see read-body.ts). */
  | 'decompression-bomb'
  /** Content-Encoding we do not decode, or a corrupt compressed stream. */
  | 'bad-encoding'
  /** Content-Type is not HTML/XHTML. */
  | 'not-html'
  /** robots.txt disallows the URL. */
  | 'robots'
  /** robots.txt could not be fetched (5xx, timeout): wait and try later. */
  | 'robots-unavailable'
  | 'redirect-loop'
  | 'too-many-redirects'
  /** A redirect without a usable Location header. */
  | 'bad-redirect'
  | 'connection-reset'
  | 'connection-refused'
  /** The host name does not resolve (NXDOMAIN) or DNS failed. */
  | 'dns'
  /** TLS handshake or certificate failure. */
  | 'tls'
  /** The server spoke broken HTTP. */
  | 'protocol'
  /** Per-host politeness: concurrency or minimum delay not available yet. */
  | 'host-busy'
  /** 429/503 with Retry-After: that host asked us to come back later. */
  | 'rate-limited'
  | `http-${number}`;

export interface FetchErrorOptions {
  /** The underlying error (undici, zlib, dns), kept for logs. */
  cause?: unknown;
}

/** Base of every fetch outcome that is not a page. Use the subclasses. */
export abstract class FetchError extends Error {
  abstract readonly kind: FetchErrorKind;
  /** Milliseconds to wait before trying again; set for kind 'delay' only. */
  readonly retryAfterMs?: number;
  /** Short code recorded per URL, e.g. "forbidden-address", "http-404". */
  readonly reason: FetchFailureReason;

  constructor(reason: FetchFailureReason, message: string, options: FetchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
  }
}

/** Never retried: 404/410, not HTML, too large, forbidden address, robots, redirect loops. */
export class PermanentFetchError extends FetchError {
  override readonly name: string = 'PermanentFetchError';
  readonly kind = 'permanent' as const;
}

/** Transient: timeouts, resets, 5xx. Retried with exponential backoff and jitter, up to a limit. */
export class RetryableFetchError extends FetchError {
  override readonly name: string = 'RetryableFetchError';
  readonly kind = 'retryable' as const;
}

/**
 * Not a failure: the host asked us to wait (Retry-After) or is busy under our own politeness
 * limits. The job is delayed by `retryAfterMs` without using up an attempt.
 */
export class PoliteDelayError extends FetchError {
  override readonly name: string = 'PoliteDelayError';
  readonly kind = 'delay' as const;
  override readonly retryAfterMs: number;

  constructor(reason: FetchFailureReason, retryAfterMs: number, message: string, options: FetchErrorOptions = {}) {
    super(reason, message, options);
    this.retryAfterMs = Math.max(0, Math.ceil(retryAfterMs));
  }
}

/**
 * A connection to a loopback/private/link-local/… address was refused (SSRF guard), either
 * before DNS (literal IP host) or on the address DNS returned, before any connection is made.
 */
export class ForbiddenAddressError extends PermanentFetchError {
  override readonly name: string = 'ForbiddenAddressError';
  /** Node-style code, so it is recognisable after undici wraps it. */
  readonly code = 'ERR_FORBIDDEN_ADDRESS';
  /** The host name as requested ("evil.example", "127.0.0.1"). */
  readonly hostname: string;
  /** The refused address ("169.254.169.254"). */
  readonly address: string;
  /** Why the policy refuses it ("link-local", "loopback (IPv4-mapped IPv6)"). */
  readonly policyReason: string;

  constructor(hostname: string, address: string, policyReason: string) {
    super(
      'forbidden-address',
      hostname === address
        ? `refused to connect to ${address}: ${policyReason} address`
        : `refused to connect to ${hostname} (${address}): ${policyReason} address`,
    );
    this.hostname = hostname;
    this.address = address;
    this.policyReason = policyReason;
  }
}

/**
 * Node/undici error codes of transient network failures, mapped to the reason recorded.
 * Everything here is retried: the same request may well succeed a minute later.
 */
const RETRYABLE_NETWORK_CODES: ReadonlyMap<string, FetchFailureReason> = new Map([
  ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
  ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
  ['UND_ERR_BODY_TIMEOUT', 'timeout'],
  ['ETIMEDOUT', 'timeout'],
  ['ESOCKETTIMEDOUT', 'timeout'],
  ['UND_ERR_SOCKET', 'connection-reset'],
  ['ECONNRESET', 'connection-reset'],
  ['EPIPE', 'connection-reset'],
  ['ECONNABORTED', 'connection-reset'],
  ['ECONNREFUSED', 'connection-refused'],
  ['EHOSTUNREACH', 'connection-refused'],
  ['ENETUNREACH', 'connection-refused'],
  ['EAI_AGAIN', 'dns'],
]);

/** Codes that will not get better by retrying soon. */
const PERMANENT_NETWORK_CODES: ReadonlyMap<string, FetchFailureReason> = new Map([
  ['ENOTFOUND', 'dns'],
  ['UND_ERR_HEADERS_OVERFLOW', 'protocol'],
  ['UND_ERR_RES_EXCEEDED_MAX_SIZE', 'too-large'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
  ['CERT_HAS_EXPIRED', 'tls'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
]);

/**
 * Where in the exchange an error came: the same undici error means a broken server before the
 * response head is complete, and a cut connection once the body is streaming.
 */
export type ExchangePhase = 'response-head' | 'body';

/**
 * undici's "Response body length does not match content-length header". While the body streams
 * it is a connection cut short (retryable); before the head is complete no body byte has been
 * read, and undici reports it in place of the parser's own error whenever the head carried a
 * Content-Length (Content-Length beside chunked Transfer-Encoding, a corrupt head after it): a
 * broken server, permanent.
 */
const CONTENT_LENGTH_MISMATCH = 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH';

/**
 * Turns whatever a network call threw into a FetchError: FetchErrors (also when wrapped in
 * `cause`, as undici's fetch() does: TypeError "fetch failed") come back as they are; known
 * network codes map to their reason; a response that is not valid HTTP/1.1 (undici's
 * HTTPParserError, llhttp's HPE_* codes: an invalid status line or chunk size, a reply that is
 * not HTTP at all) is a permanent 'protocol' failure, since the same server answers the same way
 * again; anything else unknown is retryable 'connection-reset' so one odd failure does not lose
 * a URL.
 */
export function toFetchError(error: unknown, phase: ExchangePhase = 'body'): FetchError {
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof FetchError) return current;
    if (isHttpParserError(current)) return new PermanentFetchError('protocol', describe(current), { cause: error });
    const code = errorCode(current);
    if (code !== undefined) {
      if (code === CONTENT_LENGTH_MISMATCH) {
        return phase === 'response-head'
          ? new PermanentFetchError('protocol', `malformed response head (${describe(current)})`, { cause: error })
          : new RetryableFetchError('connection-reset', `connection cut short: ${describe(current)}`, { cause: error });
      }
      const retryable = RETRYABLE_NETWORK_CODES.get(code);
      if (retryable !== undefined) return new RetryableFetchError(retryable, describe(current), { cause: error });
      const permanent = PERMANENT_NETWORK_CODES.get(code);
      if (permanent !== undefined) return new PermanentFetchError(permanent, describe(current), { cause: error });
      if (code.startsWith('HPE_')) return new PermanentFetchError('protocol', describe(current), { cause: error });
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return new RetryableFetchError('connection-reset', describe(error), { cause: error });
}

/**
 * undici's HTTPParserError. Its `code` should be llhttp's HPE_* name, but undici 8's llhttp
 * parser looks the name up in a table keyed by name, not number, so the code is undefined: the
 * error is known by its class (undici's own instanceof check) and, across copies of undici, its
 * name.
 */
function isHttpParserError(error: unknown): boolean {
  return error instanceof undiciErrors.HTTPParserError || (error instanceof Error && error.name === 'HTTPParserError');
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
