/**
 * The loopback web sites the fault run crawls: article pages (short or long), pages held open
 * until released, very heavy pages of `<br>`, and a server that closes every connection after
 * its response, HTTP/1.0 style like `python3 -m http.server`.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { goldenVariant } from '../helpers/article-site-server.ts';

/** Paragraphs added to a "long" page: ~8 KB of text, so a few hundred fill a 3 MiB disk. */
const LONG_PAGE_PARAGRAPHS = 40;

/** Size of one heavy page (the case: 8 MB of `<br>`). */
export const HEAVY_PAGE_BYTES = 8 * 1024 * 1024;

export interface FaultSite {
  origin: string;
  /** Requests per path so far. */
  hits: Map<string, number>;
  /** Let held requests (/hold/…) answer. */
  release(): void;
  close(): Promise<void>;
}

function longVariant(n: number): string {
  const extra = Array.from(
    { length: LONG_PAGE_PARAGRAPHS },
    (_, i) => `<p>Paragraph ${i} of report ${n}: the officials reviewed the regional accords, the border posts and the shared water projects in detail, and agreed to meet again.</p>`,
  ).join('\n');
  return goldenVariant(n).replace('</p>', `</p>\n${extra}`);
}

let heavyPage: Buffer | null = null;
function heavy(): Buffer {
  heavyPage ??= Buffer.from(`<html><body>${'<br>'.repeat(HEAVY_PAGE_BYTES / 4 - 40)}</body></html>`);
  return heavyPage;
}

/** Body of a path, or null for 404: /news/N.html, /long/N.html, /hold/N.html, /heavy/N.html. */
function pageFor(path: string): string | Buffer | null {
  const match = /^\/(news|long|hold|heavy)\/(\d+)\.html$/.exec(path);
  if (!match) return null;
  const n = Number(match[2]);
  switch (match[1]) {
    case 'long':
      return longVariant(n);
    case 'heavy':
      return heavy();
    case 'hold':
      return goldenVariant(900_000 + n);
    default:
      return goldenVariant(n);
  }
}

export async function startFaultSite(): Promise<FaultSite> {
  const hits = new Map<string, number>();
  let released = false;
  const held: Array<() => void> = [];
  const server: Server = createHttpServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = pageFor(path);
    if (body === null) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const answer = () => {
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body);
    };
    if (path.startsWith('/hold/') && !released) held.push(answer);
    else answer();
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    release() {
      released = true;
      for (const answer of held.splice(0)) answer();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * HTTP/1.0 answers and a closed socket after each one, with no Content-Length (the body ends
 * with the connection), as `python3 -m http.server` does for a keep-alive client.
 */
export async function startClosingSite(): Promise<FaultSite> {
  const hits = new Map<string, number>();
  const server: TcpServer = createTcpServer((socket) => {
    let head = '';
    let answered = false;
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (answered || !head.includes('\r\n\r\n')) return;
      answered = true;
      const path = /^GET (\S+)/.exec(head)?.[1] ?? '/';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const body = pageFor(path);
      if (body === null) socket.end('HTTP/1.0 404 File not found\r\nServer: SimpleHTTP/0.6\r\nContent-Type: text/plain\r\n\r\nnot found');
      else socket.end(`HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${body}`);
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    release() {},
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
