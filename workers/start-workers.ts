/**
 * The worker process: starts the fetch and/or store workers of one role and shuts them down
 * cleanly (in-flight jobs finish, queues, Redis and the database close).
 */
import { Worker } from 'bullmq';
import { closeDatabase, openDatabase, type Db } from '../db/client.ts';
import type { Config } from '../src/config.ts';
import { extractArticle, type SiteProfile } from '../src/extract/index.ts';
import { fetchPage } from '../src/fetch/fetch-page.ts';
import { createGuardedAgent } from '../src/fetch/guarded-agent.ts';
import { HostPoliteness } from '../src/fetch/host-politeness.ts';
import { RobotsGate } from '../src/fetch/robots-gate.ts';
import type { Logger } from '../src/log.ts';
import { FETCH_QUEUE, STORE_QUEUE, type FetchJobData, type StoreJobData } from '../src/queue/job-data.ts';
import { openQueues } from '../src/queue/queues.ts';
import { createRedisConnection } from '../src/queue/redis-connection.ts';
import { createFetchJobHandler, type Extractor } from './fetch-worker.ts';
import { createStoreJobHandler } from './store-worker.ts';

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
  /** The BullMQ workers of this process, for observers of their events (worker-stats.ts). */
  workers: readonly Worker[];
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
  const { config, role, logger } = options;
  const connection = createRedisConnection(config.REDIS_URL);
  const queues = openQueues(config, connection);
  const workers: Worker[] = [];
  // Each worker blocks on its own connection (BullMQ waits for jobs with blocking commands).
  const workerConnections = [createRedisConnection(config.REDIS_URL), createRedisConnection(config.REDIS_URL)];
  let db: Db | null = null;
  const dispatcher = createGuardedAgent({
    allowPrivateNetworks: config.ALLOW_PRIVATE_NETWORKS,
    allowedRanges: config.ALLOWED_NETWORKS,
    connectTimeoutMs: config.FETCH_TIMEOUT_MS,
  });

  if (role === 'all' || role === 'store') {
    db = openDatabase(config.DATABASE_PATH);
    const handler = createStoreJobHandler({ db, logger });
    workers.push(
      new Worker<StoreJobData>(STORE_QUEUE, handler, {
        connection: workerConnections[0]!,
        prefix: config.QUEUE_PREFIX,
        concurrency: 1,
        lockDuration: JOB_LOCK_MS,
        stalledInterval: JOB_LOCK_MS,
      }),
    );
  }
  if (role === 'all' || role === 'fetch') {
    const handler = createFetchJobHandler({
      config,
      storeQueue: queues.store,
      dispatcher,
      extract: options.extract ?? extractArticle,
      profiles: options.profiles,
      politeness: new HostPoliteness(connection, {
        prefix: config.QUEUE_PREFIX,
        concurrency: config.PER_HOST_CONCURRENCY,
        delayMs: config.PER_HOST_DELAY_MS,
        leaseMs: politenessLeaseMs(config),
      }),
      robots: config.RESPECT_ROBOTS
        ? new RobotsGate(connection, {
            prefix: config.QUEUE_PREFIX,
            userAgent: config.USER_AGENT,
            fetchRobotsText: (robotsUrl, onRequestSent) =>
              fetchPage(robotsUrl, {
                ...(onRequestSent ? { onRequestSent } : {}),
                dispatcher,
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
    workers,
    ready: Promise.all(workers.map((worker) => worker.waitUntilReady())).then(() => undefined),
    close() {
      closing ??= (async () => {
        await Promise.all(workers.map((worker) => worker.close()));
        await queues.close();
        await Promise.all([connection, ...workerConnections].map((redis) => redis.quit().catch(() => redis.disconnect())));
        await dispatcher.close();
        if (db) closeDatabase(db);
      })();
      return closing;
    },
  };
}
