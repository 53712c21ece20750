/**
 * The pages of `npm run bench:pipeline`, served in a process of their own (its CPU is nobody's,
 * and every contender fetches from the same server): the benchmark pages under
 * `/<id>.html?v=<n>` on several loopback addresses, each variant a distinct article (a
 * `<link rel="canonical">` naming the variant's own URL is put first in its <head>, since the
 * pages' own canonical links would make every variant one row). robots.txt allows everything.
 *
 *   node dist/bench/pipeline/page-server.js --dir DIR --hosts 127.0.0.1,127.0.0.2
 *
 * Prints one JSON line, `{"origins": [...], "pages": [...]}`, when listening; runs until killed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const ROBOTS_TXT = Buffer.from('User-agent: *\nAllow: /\n');

interface ServedPage {
  head: Buffer;
  tail: Buffer;
}

const { values } = parseArgs({ options: { dir: { type: 'string' }, hosts: { type: 'string' } } });
const dir = values.dir!;
const pages = new Map<string, ServedPage>();
for (const name of readdirSync(dir).filter((file) => file.endsWith('.html'))) {
  const bytes = readFileSync(join(dir, name));
  pages.set(`/${name}`, splitAfterHeadTag(bytes));
}

/** Splits the page right after its `<head…>` tag (or at the start when it has none). */
function splitAfterHeadTag(bytes: Buffer): ServedPage {
  const text = bytes.toString('latin1');
  const match = /<head(?:\s[^>]*)?>/i.exec(text);
  const at = match ? match.index + match[0].length : 0;
  return { head: bytes.subarray(0, at), tail: bytes.subarray(at) };
}

function serve(host: string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/robots.txt') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': ROBOTS_TXT.byteLength }).end(ROBOTS_TXT);
      return;
    }
    const query = url.indexOf('?');
    const page = pages.get(query < 0 ? url : url.slice(0, query));
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const self = Buffer.from(`<link rel="canonical" href="http://${req.headers.host}${url.replaceAll('"', '%22')}">`);
    const length = page.head.byteLength + self.byteLength + page.tail.byteLength;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': length });
    res.write(page.head);
    res.write(self);
    res.end(page.tail);
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, host, () => resolve(server)));
}

const servers = await Promise.all(values.hosts!.split(',').map(serve));
const origins = servers.map((server) => {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address}:${port}`;
});
process.stdout.write(`${JSON.stringify({ origins, pages: [...pages.keys()] })}\n`);
