import { defineCommand } from 'citty';
import { UsageError } from '../errors.ts';
import { startWorkers, type WorkerRole } from '../../workers/start-workers.ts';
import { createCliLogger, loadConfig, loadSiteProfiles } from './runtime.ts';

const ROLES: readonly WorkerRole[] = ['all', 'fetch', 'store'];

export default defineCommand({
  meta: {
    name: 'worker',
    description:
      'Run workers until SIGINT/SIGTERM, then finish in-flight jobs and exit 0. "fetch" needs only Redis and the network; "store" owns the SQLite file; "all" runs both.',
  },
  args: {
    role: { type: 'enum', options: [...ROLES], default: 'all', description: 'Which workers to run' },
    concurrency: { type: 'string', alias: 'c', description: 'Fetch jobs at once in this process (default: WORKER_CONCURRENCY)' },
  },
  async run({ args }) {
    const config = loadConfig();
    const concurrency = args.concurrency === undefined ? config.WORKER_CONCURRENCY : Number(args.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new UsageError(`--concurrency must be a whole number above 0, not ${JSON.stringify(args.concurrency)}`);
    }
    const logger = createCliLogger(config);
    const profiles = loadSiteProfiles(config);
    const role = args.role as WorkerRole;
    const workers = startWorkers({ config, role, concurrency, logger, profiles });
    await workers.ready;
    logger.info('workers started', { role, concurrency, prefix: config.QUEUE_PREFIX, database: role === 'fetch' ? null : config.DATABASE_PATH });
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        logger.info('shutting down: finishing in-flight jobs', { signal });
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await workers.close();
    logger.info('workers stopped');
  },
});
