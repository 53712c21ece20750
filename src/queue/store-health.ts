/**
 * What the store side tells `ingest status` through Redis: whether it is waiting for the
 * database, since when and why. The store worker writes it when writes start failing, while
 * they keep failing, and when they succeed again; any machine with Redis can read it.
 */
import type { RedisClient } from './redis-connection.ts';
import type { Config } from '../config.ts';

export interface StoreHealth {
  /** "waiting": the database refuses writes and store jobs wait; "ok": writes go through. */
  state: 'waiting' | 'ok';
  /** ISO instant the current state began. */
  since: string;
  /** The last storage error ("SQLITE_FULL: database or disk is full"), kept after recovery. */
  lastError: string | null;
  lastErrorAt: string | null;
  /** Failed write attempts in the current wait. */
  failedAttempts: number;
}

export function storeHealthKey(config: Pick<Config, 'QUEUE_PREFIX'>): string {
  return `${config.QUEUE_PREFIX}:store-health`;
}

export async function writeStoreHealth(redis: RedisClient, config: Pick<Config, 'QUEUE_PREFIX'>, health: StoreHealth): Promise<void> {
  await redis.set(storeHealthKey(config), JSON.stringify(health));
}

export async function readStoreHealth(redis: RedisClient, config: Pick<Config, 'QUEUE_PREFIX'>): Promise<StoreHealth | null> {
  const raw = await redis.get(storeHealthKey(config));
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as StoreHealth;
  } catch {
    return null;
  }
}
