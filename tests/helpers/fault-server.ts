/**
 * A fault-injecting HTTP fixture server on a loopback address, for fetch tests: healthy pages,
 * slow and trickling servers, errors with Retry-After, resets, redirect loops, a redirect to the
 * cloud metadata address, huge and bomb bodies, non-HTML, legacy charsets, conditional requests
 * and a configurable robots.txt. Nothing is allocated up front: big bodies are streamed lazily
 * with backpressure. `close()` destroys open sockets and timers, so it never hangs.
 *
 * Routes (GET):
 *   /ok                     an HTML article (UTF-8, ETag + Last-Modified)
 *   /slow-headers?ms=N      waits N ms (default 10 000) before sending headers
 *   /trickle?bytes=N        headers at once, then one byte a second (N bytes, default 1000)
 *   /500                    500 with a small body
 *   /503-retry-after        503, Retry-After: 2 (seconds)
 *   /503-retry-after-date   503, Retry-After: an HTTP-date 2 s ahead
 *   /429-retry-after        429, Retry-After: 2
 *   /429-retry-after-date   429, Retry-After: an HTTP-date 2 s ahead
 *   /reset                  socket destroyed before any response
 *   /reset-mid-body         headers and part of the body, then the socket is destroyed
 *   /redirect-loop          302 → /redirect-loop-b → 302 → /redirect-loop
 *   /redirect-chain/N       N redirects, then /ok
 *   /redirect-metadata      302 to http://169.254.169.254/latest/meta-data/ (nothing may follow it)
 *   /big                    Content-Length: 200 MB, streamed lazily
 *   /gzip-bomb              ~1 MB of gzip that inflates to 1.1 GB (Content-Encoding: gzip)
 *   /pdf                    application/pdf
 *   /empty                  200 text/html with an empty body
 *   /win1256                Persian page in windows-1256, declared only by <meta http-equiv>
 *   /latin1                 French/German page in ISO-8859-1, declared only by <meta charset>
 *   /malformed              broken HTML (unclosed tags, stray bytes) with an article inside
 *   /not-modified           honours If-None-Match / If-Modified-Since with 304
 *   /robots.txt             `robots` option / `setRobots()`: text, or a status (404, 500, …)
 *   anything else           404
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';

export type RobotsResponse = string | { status: number; body?: string };

export interface FaultServerOptions {
  /** Loopback address to listen on (127.0.0.0/8 only). @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue 0 (any free port) */
  port?: number;
  /** What /robots.txt answers. @defaultValue 404 (no robots.txt: everything allowed) */
  robots?: RobotsResponse;
  /** Extra or overriding routes by exact path (without query). */
  routes?: Record<string, http.RequestListener>;
}

export interface RecordedRequest {
  /** Path with query, as requested. */
  path: string;
  /** Epoch ms when the request arrived. */
  at: number;
  /** The Host header. */
  host: string;
  method: string;
  headers: http.IncomingHttpHeaders;
}

export interface FaultServer {
  /** Absolute URL of a path on this server ("/ok" → "http://127.0.0.1:PORT/ok"). */
  url(path: string): string;
  readonly origin: string;
  readonly host: string;
  readonly port: number;
  /** Every request received, in order of arrival. */
  readonly requests: RecordedRequest[];
  /** TCP connections accepted so far (to prove a refusal happened before connecting). */
  readonly connections: number;
  setRobots(robots: RobotsResponse): void;
  close(): Promise<void>;
}

/** Size /big claims and streams. */
const BIG_BODY_BYTES = 200 * 1024 * 1024;
/** Chunk reused for /big: one allocation, sent 3 200 times. */
const BIG_CHUNK = Buffer.alloc(64 * 1024, 0x20);
/** /gzip-bomb: this many concatenated gzip members of BOMB_MEMBER_INFLATED bytes of spaces. */
const BOMB_MEMBERS = 1100;
const BOMB_MEMBER_INFLATED = 1024 * 1024;
/** The Retry-After the 429/503 routes ask for, in seconds. */
export const RETRY_AFTER_SECONDS = 2;
/** Validators of /not-modified. */
export const NOT_MODIFIED_ETAG = '"article-v1"';
export const NOT_MODIFIED_LAST_MODIFIED = 'Tue, 25 Jul 2017 18:13:00 GMT';

export const OK_TITLE = 'Rivers return to the valley after a wet spring';
export const OK_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>${OK_TITLE} | Fixture News</title>
<meta property="article:published_time" content="2017-07-25T22:43:00+04:30">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>${OK_TITLE}</h1>
<p class="byline">By Jane Doe</p>
<p>The rivers that had run dry for three summers returned to the valley this week, farmers said,
after the wettest spring in a decade filled reservoirs upstream.</p>
<p>Officials cautioned that groundwater levels would take years to recover, and asked residents
to keep saving water despite the sudden abundance.</p>
<p>“We have not seen the mill stream like this since I was a child,” said one farmer, standing
at the edge of a field that was dust a year ago.</p>
</article>
<footer>Share this · Related stories · © Fixture News</footer>
</body></html>
`;

/** Persian in windows-1256 (Arabic yeh U+064A: the code page has no Farsi yeh U+06CC). */
export const WIN1256_TEXT = 'خبرگزاري فارس: بارش باران در تهران ادامه دارد و مردم از آن خوشحال هستند؛ گفت پژوهشگر.';
export const LATIN1_TEXT = 'Le café de la rue Saint-Honoré a rouvert; Grüße aus Köln, señor.';

let bombMember: Buffer | undefined;
/** One gzip member inflating to 1 MB of spaces (about 1 kB), computed once, on first use. */
function gzipBombMember(): Buffer {
  bombMember ??= zlib.gzipSync(Buffer.alloc(BOMB_MEMBER_INFLATED, 0x20), { level: 9 });
  return bombMember;
}

export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const host = options.host ?? '127.0.0.1';
  let robots: RobotsResponse = options.robots ?? { status: 404 };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;

  /** setTimeout/setInterval that close() can cancel. */
  const later = (fn: () => void, ms: number): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  };
  const every = (fn: () => void, ms: number): NodeJS.Timeout => {
    const timer = setInterval(fn, ms);
    timers.add(timer);
    return timer;
  };
  const stop = (timer: NodeJS.Timeout): void => {
    clearTimeout(timer);
    timers.delete(timer);
  };

  const html = (res: http.ServerResponse, status: number, body: string | Buffer, headers: http.OutgoingHttpHeaders = {}) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': bytes.byteLength, ...headers });
    res.end(bytes);
  };
  const httpDate = (secondsAhead: number) => new Date(Date.now() + secondsAhead * 1000).toUTCString();

  const routes: Record<string, http.RequestListener> = {
    '/ok': (_req, res) =>
      html(res, 200, OK_HTML, { etag: '"ok-v1"', 'last-modified': NOT_MODIFIED_LAST_MODIFIED }),

    '/slow-headers': (req, res) => {
      const ms = numberParam(req, 'ms', 10_000);
      later(() => {
        if (!res.destroyed) html(res, 200, OK_HTML);
      }, ms);
    },

    '/trickle': (req, res) => {
      let left = numberParam(req, 'bytes', 1000);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': left });
      res.write('<');
      left--;
      const timer = every(() => {
        if (left-- <= 0 || res.destroyed) {
          stop(timer);
          res.end();
          return;
        }
        res.write('x');
      }, 1000);
      res.on('close', () => stop(timer));
    },

    '/500': (_req, res) => html(res, 500, '<h1>Internal Server Error</h1>'),
    '/503-retry-after': (_req, res) =>
      html(res, 503, '<h1>Service Unavailable</h1>', { 'retry-after': String(RETRY_AFTER_SECONDS) }),
    '/503-retry-after-date': (_req, res) =>
      html(res, 503, '<h1>Service Unavailable</h1>', { 'retry-after': httpDate(RETRY_AFTER_SECONDS) }),
    '/429-retry-after': (_req, res) =>
      html(res, 429, '<h1>Too Many Requests</h1>', { 'retry-after': String(RETRY_AFTER_SECONDS) }),
    '/429-retry-after-date': (_req, res) =>
      html(res, 429, '<h1>Too Many Requests</h1>', { 'retry-after': httpDate(RETRY_AFTER_SECONDS) }),

    '/reset': (req) => req.socket.destroy(),
    '/reset-mid-body': (req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': 100_000 });
      res.write(OK_HTML.slice(0, 200));
      later(() => req.socket.destroy(), 50);
    },

    '/redirect-loop': (_req, res) => redirect(res, '/redirect-loop-b'),
    '/redirect-loop-b': (_req, res) => redirect(res, '/redirect-loop'),
    '/redirect-metadata': (_req, res) => redirect(res, 'http://169.254.169.254/latest/meta-data/'),

    '/big': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': BIG_BODY_BYTES });
      streamRepeated(res, BIG_CHUNK, BIG_BODY_BYTES / BIG_CHUNK.byteLength);
    },

    '/gzip-bomb': (_req, res) => {
      const member = gzipBombMember();
      res.writeHead(200, {
        'content-type': 'text/html',
        'content-encoding': 'gzip',
        'content-length': member.byteLength * BOMB_MEMBERS,
      });
      streamRepeated(res, member, BOMB_MEMBERS);
    },

    '/pdf': (_req, res) => {
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': pdf.byteLength });
      res.end(pdf);
    },

    '/empty': (_req, res) => html(res, 200, ''),

    '/win1256': (_req, res) =>
      html(
        res,
        200,
        iconv.encode(
          '<html dir="rtl"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">' +
            `<title>${WIN1256_TEXT.slice(0, 20)}</title></head><body><p>${WIN1256_TEXT}</p></body></html>`,
          'windows-1256',
        ),
        { 'content-type': 'text/html' },
      ),

    '/latin1': (_req, res) =>
      html(
        res,
        200,
        iconv.encode(
          `<html><head><meta charset="ISO-8859-1"><title>Café</title></head><body><p>${LATIN1_TEXT}</p></body></html>`,
          'latin1',
        ),
        { 'content-type': 'text/html' },
      ),

    '/malformed': (_req, res) =>
      html(
        res,
        200,
        Buffer.concat([
          Buffer.from(
            '<html><head><title>Broken <b>page</title><body><div class="content"><p>First paragraph of a broken ' +
              'page<p>Second paragraph with <a href="x>an unclosed attribute</a><table><tr><td>cell</div>' +
              '<p>Third paragraph after stray tags</span></em>',
          ),
          Buffer.from([0xff, 0xfe, 0x00]),
          Buffer.from('<!-- unterminated comment <script>var x = "</p>'),
        ]),
        { 'content-type': 'text/html' },
      ),

    '/not-modified': (req, res) => {
      const validators = { etag: NOT_MODIFIED_ETAG, 'last-modified': NOT_MODIFIED_LAST_MODIFIED };
      if (isNotModified(req)) {
        res.writeHead(304, validators);
        res.end();
        return;
      }
      html(res, 200, OK_HTML, validators);
    },

    '/robots.txt': (_req, res) => {
      const answer = typeof robots === 'string' ? { status: 200, body: robots } : robots;
      const body = Buffer.from(answer.body ?? '');
      res.writeHead(answer.status, { 'content-type': 'text/plain', 'content-length': body.byteLength });
      res.end(body);
    },

    ...options.routes,
  };

  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, at: Date.now(), host: req.headers.host ?? '', method: req.method ?? 'GET', headers: req.headers });
    const pathname = path.split('?', 1)[0] ?? '/';
    const chain = /^\/redirect-chain\/(\d+)$/.exec(pathname);
    if (chain) {
      const left = Number(chain[1]);
      redirect(res, left <= 1 ? '/ok' : `/redirect-chain/${left - 1}`);
      return;
    }
    const route = routes[pathname];
    if (route) route(req, res);
    else html(res, 404, '<h1>Not Found</h1>');
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that goes away mid-response is normal here, not a test failure.
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: (path) => new URL(path, origin).href,
    origin,
    host,
    port,
    requests,
    get connections() {
      return connections;
    },
    setRobots(next) {
      robots = next;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(302, { location, 'content-length': 0 });
  res.end();
}

/** Writes `chunk` `times` times, waiting for 'drain' (nothing buffered beyond the socket's need). */
function streamRepeated(res: http.ServerResponse, chunk: Buffer, times: number): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < times && !res.destroyed) {
      sent++;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

function numberParam(req: http.IncomingMessage, name: string, fallback: number): number {
  const value = new URL(req.url ?? '/', 'http://fixture').searchParams.get(name);
  const parsed = value === null ? NaN : Number(value);
  return Number.isFinite(parsed) ? parsed : fallback;
}

function isNotModified(req: http.IncomingMessage): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.split(',').some((tag) => tag.trim() === NOT_MODIFIED_ETAG || tag.trim() === '*');
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    return !Number.isNaN(since) && since >= Date.parse(NOT_MODIFIED_LAST_MODIFIED);
  }
  return false;
}
