import { Redis } from 'ioredis';
import type { RedisOutageMonitor } from './redis-outage-monitor.ts';

/**
 * A Redis client as BullMQ needs it: `maxRetriesPerRequest: null` so blocking commands wait
 * through a reconnect instead of failing the worker (BullMQ's documented requirement). With a
 * monitor, the connection and every duplicate of it report outages there (one line each way).
 */
export function createRedisConnection(url: string, monitor?: RedisOutageMonitor): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  return monitor ? monitor.watch(redis) : redis;
}

/** A client for one-shot commands (enqueue, status): fail fast when Redis is not there. */
export function createCommandConnection(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    // A CLI command must not hang when Redis is down: give up after a few quick tries.
    retryStrategy: (times) => (times > 3 ? null : 200 * times),
    lazyConnect: true,
  });
}
