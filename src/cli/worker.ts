import { defineCommand } from 'citty';
import { UsageError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { startWorkers, type WorkerRole } from '../../workers/start-workers.ts';
import { createCliLogger, loadConfig, loadSiteProfiles } from './runtime.ts';

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
    // Signals are caught from the start: one during start-up still shuts down cleanly.
    const signals = listenForStop(logger, config.SHUTDOWN_GRACE_MS);
    try {
      const workers = startWorkers({ config, role, concurrency, logger, profiles });
      const started = await Promise.race([workers.ready.then(() => true), signals.stopRequested.then(() => false)]);
      if (started) {
        logger.info('workers started', { role, concurrency, prefix: config.QUEUE_PREFIX, database: role === 'fetch' ? null : config.DATABASE_PATH });
      }
      await signals.stopRequested;
      await workers.close({ deadline: signals.deadline });
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
