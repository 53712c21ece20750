/**
 * A Lua script sent to Redis by its SHA1 (EVALSHA) instead of its full text on every call; the
 * text goes once per server, when Redis answers NOSCRIPT (first use, after a restart or a
 * SCRIPT FLUSH, or on a cluster node that has not seen it yet).
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-connection.ts';

export class RedisScript {
  readonly sha: string;

  constructor(readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: RedisClient, keys: readonly string[], args: ReadonlyArray<string | number | Buffer>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}
