import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The golden page of the project's own fixtures (tests/fixtures is ours to copy and vary). */
export const GOLDEN_PAGE = readFileSync(new URL('../fixtures/pages/theiranproject-269797/page.html', import.meta.url), 'utf8');

/**
 * Variant n of the golden page: its own story code, headline and first sentence, so n pages
 * make n distinct articles.
 */
export function goldenVariant(n: number): string {
  return GOLDEN_PAGE.replaceAll('269797', String(300000 + n))
    .replaceAll('Iran, Turkey stress expansion of anti-terrorism cooperation', `Iran, Turkey stress cooperation, report ${n}`)
    .replace('FNA- High-ranking Iranian and Turkish officials', `FNA- High-ranking Iranian and Turkish officials (meeting ${n})`);
}

export interface ArticleSiteServer {
  origin: string;
  requests: Array<{ path: string; at: number }>;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server answering /news/<n>.html with variant n, and /boom.html with a page the
 * tests' extractor chokes on. Everything else is 404.
 */
export async function startArticleSiteServer(host = '127.0.0.1'): Promise<ArticleSiteServer> {
  const requests: ArticleSiteServer['requests'] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '/';
    requests.push({ path, at: Date.now() });
    const match = /^\/news\/(\d+)\.html$/.exec(path);
    if (match || path === '/boom.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(match ? goldenVariant(Number(match[1])) : '<html><body><p>EXPLODE</p></body></html>');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
