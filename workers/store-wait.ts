/**
 * The store side's account of a database that refuses writes: one loud log line when writes
 * start failing, a reminder while they keep failing, one line when they succeed again, and the
 * same state in Redis for `ingest status`. It also says how long the next try waits.
 */
import type { RedisClient } from '../src/queue/redis-connection.ts';
import type { Config } from '../src/config.ts';
import type { Logger } from '../src/log.ts';
import { writeStoreHealth, type StoreHealth } from '../src/queue/store-health.ts';
import { storageErrorCode, storageErrorMessage } from '../src/store/storage-errors.ts';

export interface StoreWaitTiming {
  /** First retry delay: a lock held by `ingest import` is usually gone by then. */
  firstDelayMs: number;
  /**
   * Longest delay between tries: space freed by an operator is used within this, and a full
   * disk costs one attempt per this long, not a busy loop.
   */
  maxDelayMs: number;
  /** While waiting, a reminder in the log this often. */
  reminderMs: number;
}

export const STORE_WAIT_TIMING: StoreWaitTiming = { firstDelayMs: 1_000, maxDelayMs: 30_000, reminderMs: 60_000 };

export interface StoreWaitOptions extends Partial<StoreWaitTiming> {
  logger: Logger;
  redis: RedisClient;
  config: Pick<Config, 'QUEUE_PREFIX' | 'DATABASE_PATH'>;
  now?: () => number;
}

export class StoreWait {
  private readonly timing: StoreWaitTiming;
  private readonly now: () => number;
  private waitingSince: number | null = null;
  private lastReminder = 0;
  private failedAttempts = 0;
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;

  constructor(private readonly options: StoreWaitOptions) {
    this.timing = {
      firstDelayMs: options.firstDelayMs ?? STORE_WAIT_TIMING.firstDelayMs,
      maxDelayMs: options.maxDelayMs ?? STORE_WAIT_TIMING.maxDelayMs,
      reminderMs: options.reminderMs ?? STORE_WAIT_TIMING.reminderMs,
    };
    this.now = options.now ?? Date.now;
  }

  /** Delay before the next try after `failures` failed ones in a row: doubling, capped. */
  delayAfter(failures: number): number {
    return Math.min(this.timing.maxDelayMs, this.timing.firstDelayMs * 2 ** Math.min(failures, 30));
  }

  failed(error: unknown, url: string): void {
    const at = this.now();
    const code = storageErrorCode(error);
    const message = storageErrorMessage(error);
    this.failedAttempts += 1;
    this.lastError = code && !message.includes(code) ? `${code}: ${message}` : message;
    this.lastErrorAt = at;
    const fields = { database: this.options.config.DATABASE_PATH, code, message, url };
    if (this.waitingSince === null) {
      this.waitingSince = at;
      this.lastReminder = at;
      this.options.logger.error('store waiting: the database refuses writes; results are kept and retried', fields);
    } else if (at - this.lastReminder >= this.timing.reminderMs) {
      this.lastReminder = at;
      this.options.logger.error('store still waiting for the database', { ...fields, waitingMs: at - this.waitingSince, failedAttempts: this.failedAttempts });
    } else {
      return;
    }
    this.publish('waiting', this.waitingSince);
  }

  succeeded(): void {
    if (this.waitingSince === null) return;
    const at = this.now();
    this.options.logger.warn('store recovered: the database accepts writes again', {
      database: this.options.config.DATABASE_PATH,
      waitedMs: at - this.waitingSince,
      failedAttempts: this.failedAttempts,
    });
    this.waitingSince = null;
    this.failedAttempts = 0;
    this.publish('ok', at);
  }

  /**
   * Best effort and not awaited: a store job must not hang on Redis to report on SQLite, and
   * Redis trouble is reported by the connection monitor.
   */
  private publish(state: StoreHealth['state'], since: number): void {
    const health: StoreHealth = {
      state,
      since: new Date(since).toISOString(),
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt === null ? null : new Date(this.lastErrorAt).toISOString(),
      failedAttempts: this.failedAttempts,
    };
    writeStoreHealth(this.options.redis, this.options.config, health).catch(() => undefined);
  }
}
