import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis as BenchRedis, startPrivateRedis } from '../../bench/pipeline/private-redis.ts';
import { createPrivateRedis, type PrivateRedis } from '../faults/fault-harness.ts';
import { testRedisPorts } from '../helpers/test-redis-ports.ts';

describe("the benchmarks' private redis-server", () => {
  const dir = mkdtempSync(join(tmpdir(), 'private-redis-test-'));
  let other: PrivateRedis;
  let otherPort: number;

  beforeAll(async () => {
    other = await createPrivateRedis(join(dir, 'other'));
    await other.start();
    otherPort = Number(new URL(other.url).port);
  });
  afterAll(async () => {
    await other.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a port another redis-server already holds, instead of measuring that one', async () => {
    await expect(startPrivateRedis(otherPort)).rejects.toThrow(`port ${otherPort} is taken by another redis-server`);
    // The other server is untouched.
    const client = new Redis(other.url, { maxRetriesPerRequest: 0 });
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });

  it('starts its own, and stops even after that server died on its own', async () => {
    const own = await startOnAFreePort(otherPort);
    const client = new Redis(own.url, { maxRetriesPerRequest: 0 });
    const info = await client.info('server');
    client.disconnect();
    expect(info).toContain(`process_id:${own.pid}`);
    process.kill(own.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(own.stop()).resolves.toBeUndefined();
  });
});

/** The first of the tests' private ports that a new server gets (other test files may hold some). */
async function startOnAFreePort(skip: number): Promise<BenchRedis> {
  let lastError: unknown = null;
  for (const port of testRedisPorts().privateServers) {
    if (port === skip) continue;
    try {
      return await startPrivateRedis(port);
    } catch (error) {
      lastError = error; // taken: try the next
    }
  }
  throw new Error('no free private port for a redis-server', { cause: lastError });
}
