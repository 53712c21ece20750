/**
 * A news site on loopback whose feed, sitemap and section page change between rounds, for the
 * source tests. Articles are variants of the golden page (tests/helpers/article-site-server.ts);
 * every document carries an ETag and honours If-None-Match with 304, so conditional polling is
 * visible at the server (`requests` records each request's path and status).
 *
 * Routes: /feed.xml (RSS 2.0), /atom.xml, /sitemap.xml (urlset with lastmod and news tags),
 * /sitemap-index.xml (an index with a gzipped child served as application/gzip),
 * /sitemap-child.xml.gz, /self-index.xml (an index listing itself), /section (HTML with
 * navigation, tag, author and pagination links), /news/<n>.html, /robots.txt, and hostile
 * ones: /hostile/not-xml, /hostile/bomb.xml (billion laughs), /hostile/huge.xml (200 MB,
 * streamed lazily), /big-sitemap.xml (50,000 URLs, ~50 MB, streamed lazily; ?urls=N for another size).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { goldenVariant } from './article-site-server.ts';

export interface SiteState {
  /** Article numbers in the feed, newest first. */
  feed: number[];
  /** Article numbers in the sitemap, with their lastmod. */
  sitemap: Array<{ n: number; lastmod: string }>;
  /** Article numbers linked from the section page. */
  section: number[];
  /** Articles whose text was edited (served with an extra paragraph). */
  edited: Set<number>;
  /** Articles served without validators (so a re-fetch is a 200 with the same body). */
  noEtag: Set<number>;
}

export interface SourceSiteServer {
  origin: string;
  state: SiteState;
  requests: Array<{ path: string; status: number; at: number; bytes: number }>;
  count(path: string, status?: number): number;
  close(): Promise<void>;
}

export const BIG_SITEMAP_URLS = 50_000;
/** Bytes of the 200 MB hostile feed. */
const HUGE_FEED_BYTES = 200 * 1024 * 1024;

export function articleHtml(n: number, edited: boolean): string {
  const page = goldenVariant(n);
  return edited
    ? page.replace('FNA- High-ranking Iranian and Turkish officials', 'FNA- CORRECTED: the meeting was held on Tuesday. High-ranking Iranian and Turkish officials')
    : page;
}

function etagOf(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
}

export async function startSourceSiteServer(initial: Partial<SiteState> = {}, host = '127.0.0.1'): Promise<SourceSiteServer> {
  const state: SiteState = { feed: [], sitemap: [], section: [], edited: new Set(), noEtag: new Set(), ...initial };
  const requests: SourceSiteServer['requests'] = [];
  const sockets = new Set<Socket>();
  let origin = '';

  function send(req: IncomingMessage, res: ServerResponse, type: string, body: string | Buffer, etag = true) {
    const path = req.url ?? '/';
    const tag = etagOf(body);
    if (etag && req.headers['if-none-match'] === tag) {
      res.writeHead(304, { etag: tag });
      res.end();
      requests.push({ path, status: 304, at: Date.now(), bytes: 0 });
      return;
    }
    res.writeHead(200, { 'content-type': type, ...(etag ? { etag: tag } : {}) });
    res.end(body);
    requests.push({ path, status: 200, at: Date.now(), bytes: Buffer.byteLength(body) });
  }

  const article = (n: number) => `${origin}/news/${n}.html`;
  const feedXml = () =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Fixture news</title><link>${origin}/</link>` +
    state.feed.map((n) => `<item><title>Report ${n}</title><link>${article(n)}</link><guid>${article(n)}</guid><pubDate>Tue, 25 Jul 2017 18:13:00 GMT</pubDate></item>`).join('') +
    `</channel></rss>`;
  const atomXml = () =>
    `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Fixture</title><id>${origin}/</id><updated>2017-07-25T18:13:00Z</updated>` +
    state.feed.map((n) => `<entry><title>Report ${n}</title><id>${article(n)}</id><link href="${article(n)}"/><updated>2017-07-25T18:13:00Z</updated></entry>`).join('') +
    `</feed>`;
  const sitemapXml = (entries: Array<{ n: number; lastmod: string }>) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">` +
    entries.map(({ n, lastmod }) => `<url><loc>${article(n)}</loc><lastmod>${lastmod}</lastmod><news:news><news:publication><news:name>Fixture</news:name><news:language>en</news:language></news:publication><news:publication_date>2017-07-25T18:13:00Z</news:publication_date><news:title>Report ${n}</news:title></news:news></url>`).join('') +
    `</urlset>`;
  const sectionHtml = () =>
    `<!doctype html><html><head><title>World</title></head><body>` +
    `<nav><a href="/news/999.html">Top story in the menu</a><a href="/">Home</a></nav>` +
    `<main>` +
    state.section.map((n) => `<article><h2><a href="/news/${n}.html?utm_source=section">Report ${n}</a></h2></article>`).join('') +
    `<a href="/tag/iran">Iran</a> <a href="/author/jane">Jane</a> <a href="/section?page=2">Next</a> <a href="/page/2">2</a> <a href="https://elsewhere.example/news/1.html">elsewhere</a>` +
    `</main><footer><a href="/news/998.html">Footer link</a></footer></body></html>`;

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const match = /^\/news\/(\d+)\.html$/.exec(path);
    if (match) {
      const n = Number(match[1]);
      send(req, res, 'text/html; charset=utf-8', articleHtml(n, state.edited.has(n)), !state.noEtag.has(n));
      return;
    }
    switch (path) {
      case '/robots.txt':
        return send(req, res, 'text/plain', `User-agent: *\nAllow: /\nSitemap: ${origin}/sitemap.xml\n`);
      case '/':
        return send(req, res, 'text/html', `<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"><link rel="alternate" type="application/atom+xml" href="${origin}/atom.xml"></head><body>home</body></html>`);
      case '/feed.xml':
        return send(req, res, 'application/rss+xml; charset=utf-8', feedXml());
      case '/atom.xml':
        return send(req, res, 'application/atom+xml', atomXml());
      case '/sitemap.xml':
        return send(req, res, 'application/xml', sitemapXml(state.sitemap));
      case '/section':
        return send(req, res, 'text/html; charset=utf-8', sectionHtml());
      case '/sitemap-index.xml':
        return send(req, res, 'application/xml', `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${origin}/sitemap-child.xml.gz</loc><lastmod>2026-01-01</lastmod></sitemap></sitemapindex>`);
      case '/sitemap-child.xml.gz':
        return send(req, res, 'application/gzip', zlib.gzipSync(sitemapXml([{ n: 501, lastmod: '2026-01-01' }, { n: 502, lastmod: '2026-01-01' }])));
      case '/self-index.xml':
        return send(req, res, 'application/xml', `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${origin}/self-index.xml</loc></sitemap></sitemapindex>`);
      case '/hostile/not-xml':
        return send(req, res, 'application/rss+xml', '{"this": "is json, not a feed"} <html> garbage');
      case '/hostile/bomb.xml':
        return send(req, res, 'application/rss+xml', billionLaughs());
      case '/hostile/huge.xml':
        return streamLazily(req, res, 'application/rss+xml', hugeFeedChunks());
      case '/big-sitemap.xml': {
        // ?urls=N for another size (each size its own URLs, so one run's links are new to the next).
        const urls = Number(new URL(req.url ?? '/', origin).searchParams.get('urls') ?? BIG_SITEMAP_URLS);
        return streamLazily(req, res, 'application/xml', bigSitemapChunks(origin, urls));
      }
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        requests.push({ path, status: 404, at: Date.now(), bytes: 9 });
    }
  });

  function streamLazily(req: IncomingMessage, res: ServerResponse, type: string, chunks: Iterable<string>) {
    res.writeHead(200, { 'content-type': type });
    const path = req.url ?? '/';
    let bytes = 0;
    const body = Readable.from((function* () {
      for (const chunk of chunks) {
        bytes += chunk.length;
        yield chunk;
      }
    })());
    body.pipe(res);
    res.on('close', () => {
      body.destroy();
      requests.push({ path, status: 200, at: Date.now(), bytes });
    });
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    state,
    requests,
    count: (path, status) => requests.filter((r) => r.path === path && (status === undefined || r.status === status)).length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The "billion laughs" entity bomb (ten levels of ten references), in an RSS envelope. */
function billionLaughs(): string {
  const levels = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?>\n<!DOCTYPE rss [\n${levels.join('\n')}\n]>\n<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>http://127.0.0.1/x</link></item></channel></rss>`;
}

function* hugeFeedChunks(): Generator<string> {
  yield '<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title>';
  const item = `<item><title>${'x'.repeat(900)}</title><link>http://127.0.0.1/n</link></item>`;
  const chunk = item.repeat(64);
  for (let sent = 0; sent < HUGE_FEED_BYTES; sent += chunk.length) yield chunk;
  yield '</channel></rss>';
}

/** 50,000 URLs (or `urls`) in about 50 MB (each entry padded with an image caption, as real news sitemaps are). */
function* bigSitemapChunks(origin: string, urls: number): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">`;
  const caption = 'c'.repeat(820);
  let batch = '';
  for (let i = 0; i < urls; i++) {
    batch += `<url><loc>${origin}/big-${urls}/${i}.html</loc><lastmod>2026-01-01</lastmod><image:image><image:loc>${origin}/i/${i}.jpg</image:loc><image:caption>${caption}</image:caption></image:image></url>`;
    if (i % 64 === 63) {
      yield batch;
      batch = '';
    }
  }
  yield `${batch}</urlset>`;
}
