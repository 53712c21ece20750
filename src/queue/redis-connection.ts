import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisOutageMonitor } from './redis-outage-monitor.ts';

/** A single Redis server or a Redis Cluster: BullMQ and every key we use work on both. */
export type RedisClient = Redis | Cluster;

/**
 * REDIS_URL of a Redis Cluster: `redis+cluster://` (or `rediss+cluster://` for TLS) followed by
 * one or more comma-separated seed nodes, optionally with credentials for every node:
 * `redis+cluster://user:secret@10.0.0.1:6379,10.0.0.2:6379`. The client learns the other
 * nodes from the seeds.
 */
const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#]+)\/?$/;

/** Port of a seed node written without one (Redis's default). */
const DEFAULT_REDIS_PORT = 6379;

export interface ClusterTarget {
  nodes: Array<{ host: string; port: number }>;
  tls: boolean;
  username?: string;
  password?: string;
}

export function isClusterUrl(url: string): boolean {
  return /^rediss?\+cluster:\/\//.test(url);
}

/** The seed nodes and credentials of a cluster REDIS_URL (pure); throws on a malformed one. */
export function parseClusterUrl(url: string): ClusterTarget {
  const match = CLUSTER_URL.exec(url);
  if (!match) throw new Error(`not a cluster URL: expected redis+cluster://host:port[,host:port…]`);
  const [, scheme, credentials, hosts] = match;
  const nodes = hosts!.split(',').map((node) => {
    const seed = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(node.trim());
    if (!seed) throw new Error(`cluster seed ${JSON.stringify(node)} is not host:port`);
    return { host: seed[1]!.replace(/^\[|\]$/g, ''), port: seed[2] === undefined ? DEFAULT_REDIS_PORT : Number(seed[2]) };
  });
  const target: ClusterTarget = { nodes, tls: scheme === 'rediss' };
  if (credentials) {
    const colon = credentials.indexOf(':');
    const user = decodeURIComponent(colon < 0 ? '' : credentials.slice(0, colon));
    const password = decodeURIComponent(colon < 0 ? credentials : credentials.slice(colon + 1));
    if (user) target.username = user;
    if (password) target.password = password;
  }
  return target;
}

function connect(url: string, options: RedisOptions, clusterOptions: ClusterOptions = {}): RedisClient {
  if (!isClusterUrl(url)) return new Redis(url, options);
  const target = parseClusterUrl(url);
  return new Cluster(target.nodes, {
    ...clusterOptions,
    redisOptions: {
      ...options,
      ...(target.username ? { username: target.username } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.tls ? { tls: {} } : {}),
    },
  });
}

/**
 * A Redis client as BullMQ needs it: `maxRetriesPerRequest: null` so blocking commands wait
 * through a reconnect instead of failing the worker (BullMQ's documented requirement). With a
 * monitor, the connection and every duplicate of it report outages there (one line each way).
 */
export function createRedisConnection(url: string, monitor?: RedisOutageMonitor): RedisClient {
  const redis = connect(url, { maxRetriesPerRequest: null, enableReadyCheck: true }, { enableReadyCheck: true });
  return monitor ? monitor.watch(redis) : redis;
}

/** A client for one-shot commands (enqueue, status): fail fast when Redis is not there. */
export function createCommandConnection(url: string): RedisClient {
  // A CLI command must not hang when Redis is down: give up after a few quick tries.
  const retryStrategy = (times: number) => (times > 3 ? null : 200 * times);
  return connect(url, { maxRetriesPerRequest: 1, retryStrategy, lazyConnect: true }, { lazyConnect: true, clusterRetryStrategy: retryStrategy });
}
