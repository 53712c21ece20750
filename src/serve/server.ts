/**
 * Running the app on a socket: open the database read-only, connect to Redis, listen, and close
 * everything on demand. Used by `ingest serve` and by the tests (port 0).
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Redis } from 'ioredis';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { CommandFailedError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { openQueues } from '../queue/queues.ts';
import { assertSafeBinding } from './access.ts';
import { createServeApp } from './app.ts';

/**
 * Headers and body of one request: well above what the API, the feed or the dashboard send,
 * small enough that a flood of huge requests cannot fill memory.
 */
const REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 10_000;
const MAX_HEADER_BYTES = 16 * 1024;

export interface RunningServer {
  /** The address actually bound (the port is chosen by the system for port 0). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Redis for a server: reconnect forever, but fail a command at once while disconnected. */
function createServingConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
}

export async function startServer(options: { config: Config; host: string; port: number; logger: Logger }): Promise<RunningServer> {
  const { config, host, port, logger } = options;
  assertSafeBinding(host, config.API_TOKEN);
  let db;
  try {
    db = openDatabase(config.DATABASE_PATH, { readonly: true });
  } catch (error) {
    throw new CommandFailedError(`cannot open the database ${config.DATABASE_PATH} (DATABASE_PATH) read-only: ${(error as Error).message}. Run \`ingest worker\` or \`ingest import\` first`);
  }
  const redis = createServingConnection(config.REDIS_URL);
  redis.on('error', (error: Error) => logger.debug('redis', { message: error.message }));
  try {
    await redis.connect();
  } catch (error) {
    closeDatabase(db);
    redis.disconnect();
    throw new CommandFailedError(`cannot reach Redis at ${config.REDIS_URL}: ${(error as Error).message}`);
  }
  const queues = openQueues(config, redis);
  for (const queue of [queues.fetch, queues.store]) queue.on('error', (error: Error) => logger.debug('queue', { queue: queue.name, message: error.message }));
  const app = createServeApp({ config, db, databasePath: config.DATABASE_PATH, redis, queues, logger });
  const server: ServerType = await new Promise((resolve, reject) => {
    const created = serve({ fetch: app.fetch, hostname: host, port, serverOptions: { maxHeaderSize: MAX_HEADER_BYTES } }, () => resolve(created));
    created.once('error', reject);
  });
  const http = server as import('node:http').Server;
  http.requestTimeout = REQUEST_TIMEOUT_MS;
  http.headersTimeout = HEADERS_TIMEOUT_MS;
  // A malformed request line or header is answered 400 by Node and never reaches the app.
  http.on('clientError', (error, socket) => {
    logger.debug('malformed request', { message: error.message });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeIdleConnections();
        });
        await queues.close();
        await redis.quit().catch(() => redis.disconnect());
        closeDatabase(db);
      })();
      return closing;
    },
  };
}
