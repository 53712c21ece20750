/**
 * What the `source` and `recrawl` commands work with: the database (the sources table is the
 * truth), Redis, and the queues; and the one sync of the schedulers after a change.
 */
import { CronExpressionParser } from 'cron-parser';
import type { Queue } from 'bullmq';
import type { RedisClient } from '../queue/redis-connection.ts';
import { closeDatabase, openDatabase, type Db } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { parseDuration } from '../discover/duration.ts';
import { CommandFailedError, UsageError } from '../errors.ts';
import { createGuardedAgent } from '../fetch/guarded-agent.ts';
import type { ProbeOptions } from '../fetch/probe-source.ts';
import { openQueues, type PipelineQueues } from '../queue/queues.ts';
import { openSourceQueue, type SourceJobData } from '../queue/source-queue.ts';
import { syncSourceSchedules, type SyncReport } from '../queue/source-schedules.ts';
import { listSources } from '../store/source-store.ts';
import { connectCommandRedis } from './runtime.ts';

/** Shortest --every accepted: polls faster than this are a denial of service, not a schedule. */
export const MIN_SOURCE_EVERY_MS = 5_000;

export function parseEvery(text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new UsageError(`--every ${JSON.stringify(text)} is not a duration: use a number and a unit, like 30s, 15m, 6h or 1d`);
  if (ms < MIN_SOURCE_EVERY_MS) throw new UsageError(`--every ${text} is shorter than ${MIN_SOURCE_EVERY_MS / 1000}s`);
  return ms;
}

/**
 * Runs of a --cron expression checked against MIN_SOURCE_EVERY_MS: enough to cover a minute of
 * a seconds field (the only place runs closer than 5 s can come from) twice over.
 */
const CRON_RUNS_CHECKED = 120;

export function parseCron(text: string): string {
  let expression: ReturnType<typeof CronExpressionParser.parse>;
  try {
    expression = CronExpressionParser.parse(text);
  } catch (error) {
    throw new UsageError(`--cron ${JSON.stringify(text)} is not a cron expression: ${(error as Error).message}`);
  }
  // The same floor as --every: a seconds field such as "*/2 * * * * *" must not poll faster.
  let previous = expression.next().getTime();
  for (let run = 1; run < CRON_RUNS_CHECKED; run += 1) {
    const next = expression.next().getTime();
    if (next - previous < MIN_SOURCE_EVERY_MS) {
      throw new UsageError(`--cron ${JSON.stringify(text)} runs ${(next - previous) / 1000}s apart, more often than every ${MIN_SOURCE_EVERY_MS / 1000}s`);
    }
    previous = next;
  }
  return text.trim();
}

export function parsePattern(text: string): string {
  try {
    new RegExp(text);
  } catch (error) {
    throw new UsageError(`--pattern ${JSON.stringify(text)} is not a regular expression: ${(error as Error).message}`);
  }
  return text;
}

export function withDatabase<T>(config: Config, use: (db: Db) => T): T {
  const db = openDatabase(config.DATABASE_PATH);
  try {
    return use(db);
  } finally {
    closeDatabase(db);
  }
}

export async function withDatabaseAsync<T>(config: Config, use: (db: Db) => Promise<T>): Promise<T> {
  const db = openDatabase(config.DATABASE_PATH);
  try {
    return await use(db);
  } finally {
    closeDatabase(db);
  }
}

export interface RedisContext {
  redis: RedisClient;
  queues: PipelineQueues;
  sourceQueue: Queue<SourceJobData>;
}

export async function withRedis<T>(config: Config, use: (context: RedisContext) => Promise<T>): Promise<T> {
  // connectCommandRedis listens for the connection's errors: without a listener ioredis prints
  // an "Unhandled error event" stack of its own when Redis is down.
  const redis = await connectCommandRedis(config);
  try {
    const queues = openQueues(config, redis);
    const sourceQueue = openSourceQueue(config, redis);
    try {
      return await use({ redis, queues, sourceQueue });
    } finally {
      await sourceQueue.close();
      await queues.close();
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * After a change to the sources table: bring the schedulers in line (the store worker does the
 * same at start-up; the sync is idempotent, so both doing it is harmless). Without Redis the
 * change is kept and the command fails saying when it will take effect.
 */
export async function syncAfterChange(config: Config, db: Db): Promise<SyncReport> {
  try {
    return await withRedis(config, ({ sourceQueue }) => syncSourceSchedules(sourceQueue, listSources(db), config));
  } catch (error) {
    throw new CommandFailedError(
      `the sources table was changed, but the schedules could not be synced (${(error as Error).message}); they will be when a store worker next starts`,
    );
  }
}

export function probeOptions(config: Config): ProbeOptions & { close(): Promise<void> } {
  const dispatcher = createGuardedAgent({
    allowPrivateNetworks: config.ALLOW_PRIVATE_NETWORKS,
    allowedRanges: config.ALLOWED_NETWORKS,
    connectTimeoutMs: config.FETCH_TIMEOUT_MS,
  });
  return {
    dispatcher,
    userAgent: config.USER_AGENT,
    timeoutMs: config.FETCH_TIMEOUT_MS,
    maxRedirects: config.MAX_REDIRECTS,
    close: () => dispatcher.close(),
  };
}
