import { defineCommand } from 'citty';
import { EXIT_FAILURE } from '../errors.ts';
import { startWorkers } from '../../workers/start-workers.ts';
import { attachWorkerStats, describeStats, WorkerStats } from '../../workers/worker-stats.ts';
import { parseCount } from './article-filter-args.ts';
import { enqueueFromSources, inputSources, printEnqueueReport } from './enqueue.ts';
import { createProgress } from './progress.ts';
import { waitUntilIdle } from './queue-idle.ts';
import { createCliLogger, loadConfig, loadSiteProfiles, openObserverQueues, plural } from './runtime.ts';
import { readQueueDepth, type QueueDepth } from './stats-reporter.ts';

export default defineCommand({
  meta: {
    name: 'crawl',
    description:
      'Enqueue URLs, run the fetch and store workers in this process until the queue is empty, print the summary and exit: 0 when every page ended stored or recorded with its reason.',
  },
  args: {
    urls: { type: 'positional', required: false, description: 'URLs to crawl; "-" reads one URL per line from standard input' },
    file: { type: 'string', alias: 'f', description: 'A file with one URL per line (read as a stream)' },
    force: { type: 'boolean', default: false, description: 'Fetch URLs that are already known again' },
    concurrency: { type: 'string', alias: 'c', description: 'Fetch jobs at once (default: WORKER_CONCURRENCY)' },
    'max-pages': { type: 'string', description: 'Stop after this many pages came to an outcome (the rest stay queued)' },
  },
  async run({ args }) {
    const sources = inputSources(args._, args.file);
    const config = loadConfig();
    const concurrency = args.concurrency === undefined ? config.WORKER_CONCURRENCY : parseCount('--concurrency', args.concurrency, 1);
    const maxPages = args['max-pages'] === undefined ? null : parseCount('--max-pages', args['max-pages'], 1);
    const progress = createProgress(process.stderr);
    // A log line (a failed fetch) clears the progress line first; the next update redraws it.
    const logger = createCliLogger(config, () => progress.clear());
    const profiles = await loadSiteProfiles(config);

    const { report } = await enqueueFromSources(config, sources, { force: args.force });
    printEnqueueReport(report, 'text');

    const observer = await openObserverQueues(config);
    const storeFailuresBefore = await observer.queues.store.getFailedCount();
    const workers = startWorkers({ config, role: 'all', concurrency, logger, profiles });
    const stats = new WorkerStats();
    // The workers exist once their role's modules are loaded (start-workers.ts).
    void workers.ready.then(() => attachWorkerStats(stats, workers.workers, workers.localStore), () => undefined);
    let interrupted: NodeJS.Signals | null = null;
    const onSignal = (signal: NodeJS.Signals) => {
      interrupted = signal;
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let depth: QueueDepth | null = null;
    let ending: 'idle' | 'stopped';
    try {
      await workers.ready;
      ending = await waitUntilIdle(
        observer.queues,
        ['fetch', 'store'],
        () => interrupted !== null || (maxPages !== null && stats.snapshot().fetched >= maxPages),
        () => {
          progress.update(() => `crawl: ${describeStats(stats.snapshot())}${depth ? `; queue: ${depth.fetch} to fetch, ${depth.store} to store` : ''}`);
          void readQueueDepth(observer.queues).then(
            (d) => (depth = d),
            () => {},
          );
        },
      );
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      progress.clear();
      await workers.close();
    }
    const left = await readQueueDepth(observer.queues).catch(() => null);
    const storeFailures = (await observer.queues.store.getFailedCount()) - storeFailuresBefore;
    await observer.close();

    const snapshot = stats.snapshot();
    const why = interrupted ? `interrupted by ${interrupted}` : ending === 'idle' ? 'queue empty' : `--max-pages ${maxPages} reached`;
    const lines = [`crawl finished (${why}) in ${(snapshot.elapsedMs / 1000).toFixed(1)} s: ${describeStats(snapshot)}`];
    if (left && left.fetch + left.store > 0) lines.push(`left in the queue: ${left.fetch} to fetch, ${left.store} to store`);
    if (storeFailures > 0) lines.push(`${plural(storeFailures, 'result')} could not be stored (see \`ingest status\`)`);
    process.stdout.write(`${lines.join('\n')}\n`);
    if (report.invalidCount > 0 || storeFailures > 0 || interrupted) process.exitCode = EXIT_FAILURE;
  },
});
