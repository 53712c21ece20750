/**
 * The worker process: starts the fetch and/or store workers of one role and shuts them down
 * cleanly (in-flight jobs finish, queues, Redis and the database close).
 *
 * A process loads only what its role runs (see loadRoleModules): a fetch process never loads
 * the database layer, a store process never loads the extractor or the HTTP client. That halves
 * a fetch worker's start-up CPU and its start-up memory peak (the ORM's modules alone take
 * about 150 MB of transient heap to load).
 */
import { Worker } from 'bullmq';
import type { Dispatcher } from 'undici';
import type { Db } from '../db/client.ts';
import type { Config } from '../src/config.ts';
import type { SiteProfile } from '../src/extract/index.ts';
import type { Logger } from '../src/log.ts';
import { FETCH_QUEUE, STORE_QUEUE, type FetchJobData, type StoreJobData } from '../src/queue/job-data.ts';
import { FETCH_JOB_RETENTION, STORE_JOB_RETENTION } from '../src/queue/job-options.ts';
import { openQueues } from '../src/queue/queues.ts';
import { createRedisConnection } from '../src/queue/redis-connection.ts';
import type { Extractor } from './fetch-worker.ts';

export type WorkerRole = 'all' | 'fetch' | 'store';

export interface StartWorkersOptions {
  config: Config;
  role: WorkerRole;
  /** Fetch jobs run at once in this process (store jobs run one at a time: SQLite has one writer). */
  concurrency: number;
  logger: Logger;
  profiles: readonly SiteProfile[];
  /** Replaces the extractor (tests inject one that throws). */
  extract?: Extractor;
}

export interface RunningWorkers {
  /** Finish in-flight jobs, then close workers, queues, Redis and the database. */
  close(): Promise<void>;
  /** Resolves when every worker is connected and waiting for jobs. */
  ready: Promise<void>;
}

/**
 * How long a job's lock lasts without renewal, and how often workers look for jobs whose lock
 * ran out (their worker died mid-job: killed, out of memory, machine gone). BullMQ renews the
 * lock of a running job every half of this, so it bounds how long a crashed worker's jobs wait
 * before another worker takes them, not how long a fetch may take.
 */
const JOB_LOCK_MS = 10_000;

/**
 * A per-host politeness lease outlives the longest fetch (the whole-request deadline, plus the
 * body read) with room to spare; it is released at once when the fetch ends, and only a crashed
 * worker's lease runs out.
 */
function politenessLeaseMs(config: Config): number {
  return Math.max(30_000, config.FETCH_TIMEOUT_MS * 3);
}

/** Largest robots.txt read (RFC 9309 §2.5 asks crawlers to parse at least 500 KiB). */
const ROBOTS_MAX_BYTES = 512 * 1024;

export function startWorkers(options: StartWorkersOptions): RunningWorkers {
  const launched = launchWorkers(options);
  // A failure to start is reported through `ready`; close() then has nothing to close.
  launched.catch(() => undefined);
  return {
    ready: launched.then((running) => running.ready),
    close: () => launched.then((running) => running.close(), () => undefined),
  };
}

/** The modules of the fetch role and of the store role, loaded only by a process that runs it. */
async function loadRoleModules(role: WorkerRole) {
  const fetchRole = role === 'all' || role === 'fetch';
  const storeRole = role === 'all' || role === 'store';
  const [database, storeWorker, extract, fetchPage, guardedAgent, politeness, robots, fetchWorker] = await Promise.all([
    storeRole ? import('../db/client.ts') : null,
    storeRole ? import('./store-worker.ts') : null,
    fetchRole ? import('../src/extract/index.ts') : null,
    fetchRole ? import('../src/fetch/fetch-page.ts') : null,
    fetchRole ? import('../src/fetch/guarded-agent.ts') : null,
    fetchRole ? import('../src/fetch/host-politeness.ts') : null,
    fetchRole ? import('../src/fetch/robots-gate.ts') : null,
    fetchRole ? import('./fetch-worker.ts') : null,
  ]);
  return {
    store: database && storeWorker ? { ...database, ...storeWorker } : null,
    fetch:
      extract && fetchPage && guardedAgent && politeness && robots && fetchWorker
        ? { ...extract, ...fetchPage, ...guardedAgent, ...politeness, ...robots, ...fetchWorker }
        : null,
  };
}

async function launchWorkers(options: StartWorkersOptions): Promise<RunningWorkers> {
  const { config, role, logger } = options;
  const modules = await loadRoleModules(role);
  const connection = createRedisConnection(config.REDIS_URL);
  const queues = openQueues(config, connection);
  const workers: Worker[] = [];
  // Each worker blocks on its own connection (BullMQ waits for jobs with blocking commands).
  const workerConnections = [createRedisConnection(config.REDIS_URL), createRedisConnection(config.REDIS_URL)];
  let db: Db | null = null;
  let dispatcher: Dispatcher | null = null;
  const { store, fetch } = modules;

  if (store) {
    db = store.openDatabase(config.DATABASE_PATH);
    const handler = store.createStoreJobHandler({ db, logger });
    workers.push(
      new Worker<StoreJobData>(STORE_QUEUE, handler, {
        connection: workerConnections[0]!,
        prefix: config.QUEUE_PREFIX,
        ...STORE_JOB_RETENTION,
        concurrency: 1,
        lockDuration: JOB_LOCK_MS,
        stalledInterval: JOB_LOCK_MS,
      }),
    );
  }
  if (fetch) {
    const agent = fetch.createGuardedAgent({
      allowPrivateNetworks: config.ALLOW_PRIVATE_NETWORKS,
      allowedRanges: config.ALLOWED_NETWORKS,
      connectTimeoutMs: config.FETCH_TIMEOUT_MS,
    });
    dispatcher = agent;
    const handler = fetch.createFetchJobHandler({
      config,
      storeQueue: queues.store,
      dispatcher: agent,
      extract: options.extract ?? fetch.extractArticle,
      profiles: options.profiles,
      politeness: new fetch.HostPoliteness(connection, {
        prefix: config.QUEUE_PREFIX,
        concurrency: config.PER_HOST_CONCURRENCY,
        delayMs: config.PER_HOST_DELAY_MS,
        leaseMs: politenessLeaseMs(config),
      }),
      robots: config.RESPECT_ROBOTS
        ? new fetch.RobotsGate(connection, {
            prefix: config.QUEUE_PREFIX,
            userAgent: config.USER_AGENT,
            fetchRobotsText: (robotsUrl, onRequestSent) =>
              fetch.fetchPage(robotsUrl, {
                ...(onRequestSent ? { onRequestSent } : {}),
                dispatcher: agent,
                userAgent: config.USER_AGENT,
                timeoutMs: config.FETCH_TIMEOUT_MS,
                maxBodyBytes: ROBOTS_MAX_BYTES,
                maxRedirects: config.MAX_REDIRECTS,
                accept: 'text/plain,*/*;q=0.5',
                acceptContentType: () => true,
              }),
          })
        : null,
      logger,
    });
    workers.push(
      new Worker<FetchJobData>(FETCH_QUEUE, handler, {
        connection: workerConnections[1]!,
        prefix: config.QUEUE_PREFIX,
        ...FETCH_JOB_RETENTION,
        concurrency: options.concurrency,
        lockDuration: JOB_LOCK_MS,
        stalledInterval: JOB_LOCK_MS,
      }),
    );
  }
  for (const worker of workers) {
    worker.on('error', (error) => logger.error('worker error', { queue: worker.name, message: error.message }));
    worker.on('failed', (job, error) => {
      if (job && error.name !== 'DelayedError') {
        logger.debug('job failed', { queue: worker.name, id: job.id, message: error.message });
      }
    });
  }

  let closing: Promise<void> | null = null;
  return {
    ready: Promise.all(workers.map((worker) => worker.waitUntilReady())).then(() => undefined),
    close() {
      closing ??= (async () => {
        await Promise.all(workers.map((worker) => worker.close()));
        await queues.close();
        await Promise.all([connection, ...workerConnections].map((redis) => redis.quit().catch(() => redis.disconnect())));
        await dispatcher?.close();
        if (db) store?.closeDatabase(db);
      })();
      return closing;
    },
  };
}
