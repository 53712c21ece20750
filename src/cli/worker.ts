import { defineCommand } from 'citty';
import { UsageError } from '../errors.ts';
import { startWorkers, type WorkerRole } from '../../workers/start-workers.ts';
import { attachWorkerStats, WorkerStats } from '../../workers/worker-stats.ts';
import { parseCount } from './article-filter-args.ts';
import { waitUntilIdle } from './queue-idle.ts';
import { createCliLogger, loadConfig, loadSiteProfiles, openObserverQueues } from './runtime.ts';
import { startStatsReporter } from './stats-reporter.ts';

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
    'until-idle': { type: 'boolean', default: false, description: 'Exit once the queues are empty (nothing waiting, delayed or running)' },
    'max-pages': { type: 'string', description: 'Exit after this many pages came to an outcome (the rest stay queued)' },
  },
  async run({ args }) {
    const config = loadConfig();
    const concurrency = args.concurrency === undefined ? config.WORKER_CONCURRENCY : Number(args.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new UsageError(`--concurrency must be a whole number above 0, not ${JSON.stringify(args.concurrency)}`);
    }
    const maxPages = args['max-pages'] === undefined ? null : parseCount('--max-pages', args['max-pages'], 1);
    const logger = createCliLogger(config);
    const profiles = await loadSiteProfiles(config);
    const role = args.role as WorkerRole;
    const workers = startWorkers({ config, role, concurrency, logger, profiles });
    await workers.ready;
    logger.info('workers started', { role, concurrency, prefix: config.QUEUE_PREFIX, database: role === 'fetch' ? null : config.DATABASE_PATH });
    // Statistics: a line every minute and on SIGUSR1, a summary at exit (stats-reporter.ts).
    const stats = new WorkerStats();
    attachWorkerStats(stats, workers.workers);
    const observer = await openObserverQueues(config);
    const statsQueues = observer.queues;
    const reporter = startStatsReporter({ stats, logger, queues: statsQueues });
    let stopped = false;
    await new Promise<void>((resolve) => {
      if (args['until-idle'] || maxPages !== null) {
        const watch = role === 'all' ? (['fetch', 'store'] as const) : ([role] as const);
        const done = () => stopped || (maxPages !== null && stats.snapshot().fetched >= maxPages);
        void waitUntilIdle(statsQueues, args['until-idle'] ? watch : [], done).then((why) => {
          if (stopped) return;
          logger.info(why === 'idle' ? 'queues are empty: stopping' : `--max-pages ${maxPages} reached: stopping`);
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        });
      }
      function stop(signal: NodeJS.Signals) {
        logger.info('shutting down: finishing in-flight jobs', { signal });
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      }
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    stopped = true;
    await workers.close();
    await reporter.stop();
    await observer.close();
    logger.info('workers stopped');
  },
});
