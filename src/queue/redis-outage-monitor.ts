/**
 * Watching the Redis connections of one process: one structured log line when Redis is lost,
 * one when it is back, and a reminder while it stays away, instead of a stack trace per
 * reconnect attempt. Every watched connection has an 'error' listener, so ioredis never prints
 * "[ioredis] Unhandled error event".
 */
import type { RedisClient } from './redis-connection.ts';
import type { Logger } from '../log.ts';

/** While Redis is down, a reminder this often: enough to see in a log, not enough to flood it. */
export const REDIS_DOWN_REMINDER_MS = 30_000;

export interface RedisOutageMonitorOptions {
  logger: Logger;
  /** Redis address as logged (credentials removed). */
  address: string;
  reminderMs?: number;
  now?: () => number;
}

/**
 * Error codes and messages of a lost connection (as opposed to a command that Redis refused):
 * while Redis is known to be down, errors like these are already reported by the monitor.
 */
const CONNECTION_ERROR = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|Connection is closed|connect E|Socket closed|Stream isn't writeable|LOADING|MaxRetriesPerRequest/i;

export function isRedisConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return CONNECTION_ERROR.test(`${code} ${error.message}`);
}

export class RedisOutageMonitor {
  private readonly logger: Logger;
  private readonly address: string;
  private readonly reminderMs: number;
  private readonly now: () => number;
  /** Watched connections that are not ready at the moment. */
  private readonly down = new Set<RedisClient>();
  private readonly watched = new Set<RedisClient>();
  private lostAt: number | null = null;
  private lastError = '';
  private reminder: NodeJS.Timeout | null = null;

  constructor(options: RedisOutageMonitorOptions) {
    this.logger = options.logger;
    this.address = options.address;
    this.reminderMs = options.reminderMs ?? REDIS_DOWN_REMINDER_MS;
    this.now = options.now ?? Date.now;
  }

  /** True while at least one connection is lost. */
  get isDown(): boolean {
    return this.lostAt !== null;
  }

  /**
   * Watch a connection and every connection duplicated from it later (BullMQ duplicates the
   * connection it is given for its blocking commands).
   */
  watch<T extends RedisClient>(redis: T): T {
    if (this.watched.has(redis)) return redis;
    this.watched.add(redis);
    redis.on('error', (error: Error) => this.connectionFailed(redis, error));
    // 'reconnecting', not 'close': a connection closed on purpose (BullMQ drops its blocking
    // connection on pause and close) is not an outage.
    redis.on('reconnecting', () => this.connectionFailed(redis, null));
    redis.on('ready', () => this.connectionReady(redis));
    redis.on('end', () => this.forget(redis));
    // Redis and Cluster both have duplicate(), with different parameters: pass them through.
    const client = redis as unknown as { duplicate: (...args: unknown[]) => T };
    const duplicate = client.duplicate.bind(redis);
    client.duplicate = (...args: unknown[]) => this.watch(duplicate(...args));
    return redis;
  }

  /** Stop watching: call before closing the connections on purpose, so closing is not an outage. */
  stop(): void {
    if (this.reminder) clearInterval(this.reminder);
    this.reminder = null;
    this.watched.clear();
    this.down.clear();
    this.lostAt = null;
  }

  private connectionFailed(redis: RedisClient, error: Error | null): void {
    if (!this.watched.has(redis)) return;
    if (error) this.lastError = describeError(error);
    this.down.add(redis);
    if (this.lostAt !== null) return;
    this.lostAt = this.now();
    this.logger.error('redis connection lost', { redis: this.address, error: this.lastError || 'connection closed' });
    this.reminder = setInterval(() => this.remind(), this.reminderMs);
    this.reminder.unref();
  }

  private connectionReady(redis: RedisClient): void {
    this.down.delete(redis);
    if (this.lostAt === null || this.down.size > 0) return;
    const downMs = this.now() - this.lostAt;
    this.lostAt = null;
    if (this.reminder) clearInterval(this.reminder);
    this.reminder = null;
    this.logger.info('redis connection restored', { redis: this.address, downMs });
  }

  private forget(redis: RedisClient): void {
    this.watched.delete(redis);
    this.down.delete(redis);
  }

  private remind(): void {
    if (this.lostAt === null) return;
    this.logger.error('redis still unreachable', { redis: this.address, downMs: this.now() - this.lostAt, error: this.lastError });
  }
}

function describeError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

/** The Redis URL without its password, for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis';
  }
}
