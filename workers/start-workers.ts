/**
 * The worker process: starts the fetch and/or store workers of one role and shuts them down
 * cleanly (in-flight jobs finish, the store jobs this process fed are drained, queues, Redis
 * and the database close).
 *
 * A process loads only what its role runs (see loadRoleModules): a fetch process never loads
 * the database layer and the source runtime, a store process never loads the fetch worker and
 * its extraction pool. That halves a fetch worker's start-up CPU and its start-up memory peak
 * (the ORM's modules alone take about 150 MB of transient heap to load).
 */
import { MetricsTime, Worker, type Job } from 'bullmq';
import type { Db } from '../db/client.ts';
import type { Config } from '../src/config.ts';
import type { SiteProfile } from '../src/extract/index.ts';
import { createGuardedAgent } from '../src/fetch/guarded-agent.ts';
import type { Logger } from '../src/log.ts';
import { FETCH_QUEUE, STORE_QUEUE, type FetchJobData, type StoreJobData } from '../src/queue/job-data.ts';
import { FETCH_JOB_RETENTION, STORE_JOB_RETENTION } from '../src/queue/job-options.ts';
import { createPipelineMetricsRecorder } from '../src/queue/pipeline-metrics.ts';
import { openQueues, type PipelineQueues } from '../src/queue/queues.ts';
import { createRedisConnection } from '../src/queue/redis-connection.ts';
import { isRedisConnectionError, redactRedisUrl, RedisOutageMonitor } from '../src/queue/redis-outage-monitor.ts';
import type { ExtractionPool } from './extraction-pool.ts';
import type { TextExtractor } from './fetch-worker.ts';
import { HandoffTracker } from './handoff-tracker.ts';
import { isRecordedFailure, recordUnhandledFailure } from './unhandled-failure.ts';
import type { SourceRuntime } from './source-worker.ts';
import type { LocalStore } from './store-worker.ts';
import type { StoreWaitTiming } from './store-wait.ts';

export type WorkerRole = 'all' | 'fetch' | 'store';

export interface StartWorkersOptions {
  config: Config;
  role: WorkerRole;
  /** Fetch jobs run at once in this process (store jobs: STORE_CONCURRENCY, batched into shared transactions). */
  concurrency: number;
  logger: Logger;
  profiles: readonly SiteProfile[];
  /** Replaces the extraction pool's threads (tests inject an extractor that throws). */
  extract?: TextExtractor;
  /** Retry delays of a store job while the database refuses writes (tests shorten them). */
  storeTiming?: Partial<StoreWaitTiming>;
  /**
   * How long what a worker holds outlives it when it dies mid-job (tests of a killed worker
   * shorten both, so its work is taken over in seconds). Defaults: JOB_LOCK_MS and
   * politenessLeaseMs(config).
   */
  leaseTiming?: Partial<WorkerLeaseTiming>;
}

export interface WorkerLeaseTiming {
  /** A job's lock (renewed every half of it while the job runs), and how often stalled jobs are looked for. */
  jobLockMs: number;
  /** A per-host politeness slot: released when its fetch ends; only a dead worker's runs out. */
  politenessLeaseMs: number;
}

export interface CloseOptions {
  /**
   * When aborted (the grace period is over, or a second signal came), stop waiting: jobs still
   * in flight go back to the queue at once. Without it, shutdown waits as long as it takes.
   */
  deadline?: AbortSignal;
}

export interface RunningWorkers {
  /**
   * Stop taking jobs, finish the fetch jobs in flight, wait until the store jobs this process
   * handed off are stored (role "all"), then close workers, queues, Redis and the database.
   */
  close(options?: CloseOptions): Promise<void>;
  /** Resolves when every worker is connected and waiting for jobs. */
  ready: Promise<void>;
  /** The BullMQ workers of this process, for observers of their events (worker-stats.ts). */
  workers: readonly Worker[];
  /** Role all: where this process's fetch jobs store their results without a store job (worker-stats.ts counts them too). */
  localStore: LocalStore | null;
}

/**
 * How long a job's lock lasts without renewal, and how often workers look for jobs whose lock
 * ran out (their worker died mid-job: killed, out of memory, machine gone). BullMQ renews the
 * lock of a running job every half of this, so it bounds how long a crashed worker's jobs wait
 * before another worker takes them, not how long a fetch may take.
 */
const JOB_LOCK_MS = 10_000;

/**
 * Crashes a fetch job may be caught in and still be retried (BullMQ's default is 1: a job in
 * two crashes was failed without a record). A page active in more crashes than this is likely
 * the cause of them, and is recorded as failed with reason "stalled".
 */
export const FETCH_MAX_STALLED = 2;

/**
 * A store job carries a result that must not be lost: it is retried through many crashes, and
 * past this it is handed off again as a new store job (see unhandled-failure.ts).
 */
const STORE_MAX_STALLED = 10;

/**
 * A per-host politeness lease outlives the longest fetch (the whole-request deadline, plus the
 * body read) with room to spare; it is released at once when the fetch ends, and only a crashed
 * worker's lease runs out.
 */
function politenessLeaseMs(config: Config): number {
  return Math.max(30_000, config.FETCH_TIMEOUT_MS * 3);
}

/** BullMQ's own per-minute completed/failed counts (`ingest serve` /metrics): a week of minutes. */
const BULLMQ_METRICS = { maxDataPoints: MetricsTime.ONE_WEEK };

/** The jobs a worker runs right now, with their lock tokens (to hand them back on a forced stop). */
type ActiveJobs = Map<string, { job: Job; token: string | undefined }>;

export function startWorkers(options: StartWorkersOptions): RunningWorkers {
  let closeRequested = false;
  let running: RunningWorkers | null = null;
  const launched = launchWorkers(options, () => closeRequested).then((started) => (running = started));
  // A failure to start is reported through `ready`; close() then has nothing to close.
  launched.catch(() => undefined);
  const ready = launched.then((started) => started.ready);
  // Callers that close without awaiting `ready` (a signal during start-up) must not leave its
  // failure unhandled; those that await it still see the rejection.
  ready.catch(() => undefined);
  return {
    // Known once the role's modules are loaded (by `ready`); empty before.
    get workers() {
      return running?.workers ?? [];
    },
    get localStore() {
      return running?.localStore ?? null;
    },
    ready,
    close: (closeOptions) => {
      closeRequested = true;
      return launched.then((started) => started.close(closeOptions), () => undefined);
    },
  };
}

/** What launchWorkers returns when close() came while the role's modules were loading. */
const NOTHING_STARTED: RunningWorkers = { workers: [], localStore: null, ready: Promise.resolve(), close: async () => undefined };

/** The modules of the fetch role and of the store role, loaded only by a process that runs it. */
async function loadRoleModules(role: WorkerRole) {
  const fetchRole = role === 'all' || role === 'fetch';
  const storeRole = role === 'all' || role === 'store';
  const [database, storeWorker, sourceWorker, fetchPage, politeness, robots, pool, fetchWorker] = await Promise.all([
    storeRole ? import('../db/client.ts') : null,
    storeRole ? import('./store-worker.ts') : null,
    storeRole ? import('./source-worker.ts') : null,
    fetchRole ? import('../src/fetch/fetch-page.ts') : null,
    fetchRole ? import('../src/fetch/host-politeness.ts') : null,
    fetchRole ? import('../src/fetch/robots-gate.ts') : null,
    fetchRole ? import('./extraction-pool.ts') : null,
    fetchRole ? import('./fetch-worker.ts') : null,
  ]);
  return {
    store: database && storeWorker && sourceWorker ? { ...database, ...storeWorker, ...sourceWorker } : null,
    fetch: fetchPage && politeness && robots && pool && fetchWorker ? { ...fetchPage, ...politeness, ...robots, ...pool, ...fetchWorker } : null,
  };
}

async function launchWorkers(options: StartWorkersOptions, closeRequested: () => boolean): Promise<RunningWorkers> {
  const { config, role, logger } = options;
  const jobLockMs = options.leaseTiming?.jobLockMs ?? JOB_LOCK_MS;
  const { store, fetch } = await loadRoleModules(role);
  if (closeRequested()) return NOTHING_STARTED;
  // The database first: an unusable DATABASE_PATH is a fatal error, raised before any Redis
  // connection exists that would keep the process alive.
  const db: Db | null = store ? store.openDatabase(config.DATABASE_PATH) : null;
  const monitor = new RedisOutageMonitor({ logger, address: redactRedisUrl(config.REDIS_URL) });
  const connection = createRedisConnection(config.REDIS_URL, monitor);
  const queues = openQueues(config, connection, (error) => {
    // A lost connection is reported once by the monitor, not once per reconnect attempt.
    if (!isRedisConnectionError(error)) logger.error('queue error', { error: error.message });
  });
  // Each worker blocks on its own connection (BullMQ waits for jobs with blocking commands).
  const workerConnections = [createRedisConnection(config.REDIS_URL, monitor), createRedisConnection(config.REDIS_URL, monitor)];
  const metrics = createPipelineMetricsRecorder(connection, config.QUEUE_PREFIX);
  // Source runs (feeds, sitemaps, section pages) live beside the database: see source-worker.ts.
  let sources: SourceRuntime | null = null;
  let pool: ExtractionPool | null = null;
  const dispatcher = createGuardedAgent({
    allowPrivateNetworks: config.ALLOW_PRIVATE_NETWORKS,
    allowedRanges: config.ALLOWED_NETWORKS,
    connectTimeoutMs: config.FETCH_TIMEOUT_MS,
  });
  const stopping = new AbortController();
  const handoffs = role === 'all' ? new HandoffTracker(queues.store) : null;
  let storeWorker: Worker<StoreJobData> | null = null;
  let localStore: LocalStore | null = null;
  let fetchWorker: Worker<FetchJobData> | null = null;
  const active = new Map<Worker, ActiveJobs>();

  if (store && db) {
    const writing = store.createStoreWriting({
      db,
      logger,
      redis: connection,
      config,
      stopping: stopping.signal,
      metrics,
      refreshScheduleMs: config.REFRESH_SCHEDULE,
      ...(options.storeTiming ? { timing: options.storeTiming } : {}),
    });
    // Role all: the fetch jobs of this process write their results here, not through the queue.
    if (fetch) localStore = writing.local;
    const jobs: ActiveJobs = new Map();
    storeWorker = new Worker<StoreJobData>(STORE_QUEUE, tracked(jobs, writing.handleStoreJob), {
      connection: workerConnections[0]!,
      prefix: config.QUEUE_PREFIX,
      ...STORE_JOB_RETENTION,
      // Many jobs at once, their writes batched into shared transactions (write-batcher.ts).
      concurrency: store.STORE_CONCURRENCY,
      lockDuration: jobLockMs,
      stalledInterval: jobLockMs,
      maxStalledCount: STORE_MAX_STALLED,
      metrics: BULLMQ_METRICS,
    });
    active.set(storeWorker, jobs);
    storeWorker.on('completed', (job) => handoffs?.stored(job.id));
    sources = store.startSourceRuntime({ config, db, connection, fetchQueue: queues.fetch, dispatcher, logger, lockDurationMs: jobLockMs, monitor });
    const sourceWorker = sources.worker;
    sourceWorker.on('error', (error) => {
      if (!isRedisConnectionError(error)) logger.error('worker error', { queue: sourceWorker.name, error: error.message });
    });
  }
  if (fetch) {
    if (!options.extract) {
      pool = new fetch.ExtractionPool({
        threads: config.EXTRACT_THREADS,
        timeoutMs: config.EXTRACT_TIMEOUT_MS,
        memoryMb: config.EXTRACT_MEMORY_MB,
        youngGenerationMb: fetch.threadYoungGenerationMb(store !== null),
        logger,
      });
    }
    const handler = fetch.createFetchJobHandler({
      config,
      storeQueue: queues.store,
      dispatcher,
      extract: options.extract ? fetch.decodingFirst(options.extract) : pool!.extractBytes,
      profiles: options.profiles,
      politeness: new fetch.HostPoliteness(connection, {
        prefix: config.QUEUE_PREFIX,
        concurrency: config.PER_HOST_CONCURRENCY,
        delayMs: config.PER_HOST_DELAY_MS,
        leaseMs: options.leaseTiming?.politenessLeaseMs ?? politenessLeaseMs(config),
      }),
      robots: config.RESPECT_ROBOTS
        ? new fetch.RobotsGate(connection, {
            prefix: config.QUEUE_PREFIX,
            userAgent: config.USER_AGENT,
            fetchRobotsText: (robotsUrl, onRequestSent) =>
              fetch.fetchPage(robotsUrl, {
                ...(onRequestSent ? { onRequestSent } : {}),
                dispatcher,
                userAgent: config.USER_AGENT,
                timeoutMs: config.FETCH_TIMEOUT_MS,
                maxBodyBytes: fetch.ROBOTS_MAX_BYTES,
                maxRedirects: config.MAX_REDIRECTS,
                accept: 'text/plain,*/*;q=0.5',
                acceptContentType: () => true,
              }),
          })
        : null,
      logger,
      metrics,
      ...(handoffs ? { onHandoff: (id: string) => handoffs.handedOff(id) } : {}),
      ...(localStore ? { storeLocally: (data: StoreJobData) => localStore!.write(data) } : {}),
    });
    const jobs: ActiveJobs = new Map();
    const worker = new Worker<FetchJobData>(FETCH_QUEUE, tracked(jobs, handler), {
      connection: workerConnections[1]!,
      prefix: config.QUEUE_PREFIX,
      ...FETCH_JOB_RETENTION,
      concurrency: options.concurrency,
      lockDuration: jobLockMs,
      stalledInterval: jobLockMs,
      maxStalledCount: FETCH_MAX_STALLED,
      metrics: BULLMQ_METRICS,
      // With the pool, fetching starts once its threads are up: a page fetched sooner would wait
      // for them, and their start-up would compete with the first fetches for the CPU.
      autorun: pool === null,
    });
    fetchWorker = worker;
    pool?.ready.then(
      () => worker.run().catch((error: Error) => logger.error('fetch worker stopped', { message: error.message })),
      () => undefined, // reported through `ready`
    );
    active.set(worker, jobs);
  }
  const workers = [storeWorker, fetchWorker].filter((worker): worker is Worker => worker !== null);
  for (const worker of workers) listen(worker, queues, logger, monitor);

  let closing: Promise<void> | null = null;
  return {
    workers,
    localStore,
    ready: Promise.all([...workers.map((worker) => worker.waitUntilReady()), sources?.worker.waitUntilReady(), sources?.synced, pool?.ready]).then(() => undefined),
    close(closeOptions: CloseOptions = {}) {
      closing ??= (async () => {
        const deadline = closeOptions.deadline ?? new AbortController().signal;
        // 1. No new fetches; the ones in flight finish (their results are handed off).
        if (fetchWorker) await stopWorker(fetchWorker, active.get(fetchWorker)!, deadline, logger);
        // 2. The store jobs this process fed are stored before it goes (role "all").
        if (handoffs) await handoffs.drained(deadline, logger);
        // 3. A store job still waiting for the database goes back to the queue.
        stopping.abort();
        if (storeWorker) await stopWorker(storeWorker, active.get(storeWorker)!, deadline, logger);
        if (sources) {
          const paused = await untilAborted(sources.worker.pause(), deadline);
          await sources.close(!paused);
        }
        monitor.stop();
        await metrics.close();
        await pool?.close();
        await queues.close();
        await Promise.all([connection, ...workerConnections].map((redis) => redis.quit().catch(() => redis.disconnect())));
        // Past the deadline, requests still in flight are cut (close() would wait for them).
        await (deadline.aborted ? dispatcher.destroy() : dispatcher.close());
        if (db) store?.closeDatabase(db);
      })();
      return closing;
    },
  };
}

function tracked<T, R>(jobs: ActiveJobs, handler: (job: Job<T>, token?: string) => Promise<R>) {
  return async (job: Job<T>, token?: string): Promise<R> => {
    const id = job.id ?? '';
    jobs.set(id, { job, token });
    try {
      return await handler(job, token);
    } finally {
      jobs.delete(id);
    }
  };
}

/**
 * Let the jobs in flight finish, unless the deadline comes first: then hand them back to the
 * queue (so they are not left locked until their lock runs out and counted as stalled) and
 * close without waiting.
 */
async function stopWorker(worker: Worker, jobs: ActiveJobs, deadline: AbortSignal, logger: Logger): Promise<void> {
  const finished = await untilAborted(worker.pause(), deadline);
  if (!finished) {
    const left = [...jobs.values()];
    logger.warn('shutdown deadline: handing unfinished jobs back to the queue', { queue: worker.name, jobs: left.length });
    await Promise.all(left.map(({ job, token }) => job.moveToWait(token).catch(() => undefined)));
  }
  await worker.close(!finished);
}

/** True when `work` settled before `signal` aborted. */
async function untilAborted(work: Promise<unknown>, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  let onAbort = () => {};
  const aborted = new Promise<false>((resolve) => {
    onAbort = () => resolve(false);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work.then(() => true, () => true), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function listen(worker: Worker, queues: PipelineQueues, logger: Logger, monitor: RedisOutageMonitor): void {
  worker.on('error', (error) => {
    // A lost connection is reported once by the monitor, not once per reconnect attempt.
    if (isRedisConnectionError(error)) return;
    logger.error('worker error', { queue: worker.name, error: error.message });
  });
  worker.on('failed', (job, error) => {
    if (!job || error.name === 'DelayedError') return;
    logger.debug('job failed', { queue: worker.name, id: job.id, message: error.message });
    if (isRecordedFailure(error)) return;
    // A failure the handler did not record: BullMQ's own (stalled too often) or the hand-off
    // itself failing. Record it now so the URL (or the result) is not lost.
    recordUnhandledFailure(worker.name, job, error, queues, logger).catch((recordError: Error) => {
      logger.error('failure not recorded', { queue: worker.name, id: job.id, error: recordError.message, redisDown: monitor.isDown });
    });
  });
}
