import { defineCommand } from 'citty';
import { UsageError } from '../errors.ts';
import type { Logger } from '../log.ts';
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
      'Run workers until SIGINT/SIGTERM, then finish in-flight jobs, store what this process fetched (within SHUTDOWN_GRACE_MS) and exit 0; a second signal stops at once. "fetch" needs only Redis and the network; "store" owns the SQLite file; "all" runs both.',
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
    // Signals are caught from the start: one during start-up still shuts down cleanly.
    const signals = listenForStop(logger, config.SHUTDOWN_GRACE_MS);
    try {
      const workers = startWorkers({ config, role, concurrency, logger, profiles });
      // Statistics: a line every minute and on SIGUSR1, a summary at exit (stats-reporter.ts).
      const stats = new WorkerStats();
      // The workers exist once their role's modules are loaded (start-workers.ts).
      void workers.ready.then(() => attachWorkerStats(stats, workers.workers, workers.localStore), () => undefined);
      const observer = await openObserverQueues(config);
      const reporter = startStatsReporter({ stats, logger, queues: observer.queues });
      try {
        const started = await Promise.race([workers.ready.then(() => true), signals.stopRequested.then(() => false)]);
        if (started) {
          logger.info('workers started', { role, concurrency, prefix: config.QUEUE_PREFIX, database: role === 'fetch' ? null : config.DATABASE_PATH });
        }
        let stopping = false;
        void signals.stopRequested.then(() => (stopping = true));
        // --until-idle / --max-pages end the run like a signal does, once their condition holds.
        const ended =
          args['until-idle'] || maxPages !== null
            ? waitUntilIdle(
                observer.queues,
                args['until-idle'] ? (role === 'all' ? ['fetch', 'store'] : [role]) : [],
                () => stopping || (maxPages !== null && stats.snapshot().fetched >= maxPages),
              ).then((why) => {
                if (!stopping) logger.info(why === 'idle' ? 'queues are empty: stopping' : `--max-pages ${maxPages} reached: stopping`);
              })
            : new Promise<void>(() => {});
        await Promise.race([signals.stopRequested, ended]);
        stopping = true;
        await workers.close({ deadline: signals.deadline });
      } finally {
        await reporter.stop();
        await observer.close();
      }
      logger.info('workers stopped');
    } finally {
      signals.dispose();
    }
  },
});

interface StopSignals {
  /** Resolves on the first SIGINT/SIGTERM. */
  stopRequested: Promise<void>;
  /** Aborts SHUTDOWN_GRACE_MS after the first signal, or at a second one. */
  deadline: AbortSignal;
  dispose(): void;
}

function listenForStop(logger: Logger, graceMs: number): StopSignals {
  const deadline = new AbortController();
  let grace: NodeJS.Timeout | null = null;
  let resolveStop = () => {};
  const stopRequested = new Promise<void>((resolve) => (resolveStop = resolve));
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!signalled) {
      signalled = true;
      logger.info('shutting down: finishing in-flight jobs and storing what was fetched', { signal, graceMs });
      grace = setTimeout(() => deadline.abort(), graceMs);
      grace.unref();
      resolveStop();
      return;
    }
    if (!deadline.signal.aborted) {
      logger.warn('second signal: stopping now; unfinished jobs go back to the queue', { signal });
      deadline.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopRequested,
    deadline: deadline.signal,
    dispose() {
      if (grace) clearTimeout(grace);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
