/**
 * A raw TCP server on loopback that answers each request with scripted bytes, for replies no
 * HTTP library would send: broken status lines and chunk sizes, replies that are not HTTP,
 * Content-Length beside chunked, bodies ended by closing the connection, abrupt ends.
 *
 * Each route gives the reply's bytes and what happens to the connection after it: `end` (FIN,
 * as an HTTP/1.0 server does), `destroy` (the socket is torn down at once, possibly with a RST),
 * or `keep-open` (the connection stays, as a keep-alive server's would).
 */
import net from 'node:net';

export interface RawReply {
  bytes: Buffer;
  then: 'end' | 'destroy' | 'keep-open';
}

export interface RawHttpServer {
  url(path: string): string;
  /** Requests received per path. */
  readonly hits: Map<string, number>;
  /** TCP connections accepted. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startRawHttpServer(routes: Record<string, RawReply>, host = '127.0.0.1'): Promise<RawHttpServer> {
  const hits = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const path = head.split(' ', 2)[1] ?? '/';
      head = head.slice(end + 4);
      const route = routes[path.split('?', 1)[0]!];
      hits.set(path, (hits.get(path) ?? 0) + 1);
      if (route === undefined) {
        socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        return;
      }
      if (route.then === 'end') socket.end(route.bytes);
      else if (route.then === 'destroy') socket.write(route.bytes, () => socket.destroy());
      else socket.write(route.bytes);
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: (path) => `http://${host}:${port}${path}`,
    hits,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP/1.x reply: status line, headers, blank line, body. */
export function httpReply(statusLine: string, headers: Record<string, string>, body: string | Buffer = ''): Buffer {
  const head = [statusLine, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), typeof body === 'string' ? Buffer.from(body) : body]);
}
