import { defineCommand } from 'citty';
import { UsageError } from '../errors.ts';
import { assertSafeBinding } from '../serve/access.ts';
import { createCliLogger, loadConfig } from './runtime.ts';

export default defineCommand({
  meta: {
    name: 'serve',
    description:
      'Serve the database read-only over HTTP: JSON API, Atom feed, browse page, /metrics, /healthz and the queue dashboard at /queues. Listens on 127.0.0.1 unless told otherwise; any other address requires API_TOKEN.',
  },
  args: {
    host: { type: 'string', description: 'Address to listen on (default: SERVE_HOST, 127.0.0.1)' },
    port: { type: 'string', alias: 'p', description: 'Port to listen on, 0 for any free one (default: SERVE_PORT, 8080)' },
  },
  async run({ args }) {
    const config = loadConfig();
    const port = args.port === undefined ? config.SERVE_PORT : Number(args.port);
    if (!/^\d+$/.test(String(args.port ?? port)) || !Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new UsageError(`--port must be a whole number from 0 to 65535, not ${JSON.stringify(args.port)}`);
    }
    const host = args.host ?? config.SERVE_HOST;
    // Refuse an unsafe address before loading the server at all.
    assertSafeBinding(host, config.API_TOKEN);
    const logger = createCliLogger(config);
    const { startServer } = await import('../serve/server.ts');
    const server = await startServer({ config, host, port, logger });
    // The address on stdout, so a script (or a test) that asked for port 0 learns the port.
    process.stdout.write(`listening on ${server.url}\n`);
    logger.info('serving', { url: server.url, database: config.DATABASE_PATH, token: config.API_TOKEN !== '' });
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        logger.info('shutting down', { signal });
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
  },
});
