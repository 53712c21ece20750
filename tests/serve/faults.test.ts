import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../db/client.ts';
import { parseConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { openQueues } from '../../src/queue/queues.ts';
import { createServeApp } from '../../src/serve/app.ts';

/** The app with Redis pointing at a closed port and a database that can be closed under it. */
describe('when Redis or the database fail', () => {
  let dir: string;
  let db: Db;
  let redis: Redis;
  let app: ReturnType<typeof createServeApp>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'serve-faults-'));
    const config = parseConfig({ DATABASE_PATH: join(dir, 'a.db'), REDIS_URL: 'redis://127.0.0.1:1' });
    db = openDatabase(config.DATABASE_PATH);
    // Port 1 answers nothing; no offline queue, so every command fails at once.
    redis = new Redis(config.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    const queues = openQueues(config, redis);
    for (const queue of [queues.fetch, queues.store]) queue.on('error', () => undefined);
    app = createServeApp({ config, db, databasePath: config.DATABASE_PATH, redis, queues, logger: silentLogger });
  });
  afterAll(() => {
    redis.disconnect();
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  });

  it('/healthz says 503 and which part is down; Redis-backed routes answer 503, the rest still works', async () => {
    const health = await app.request('/healthz');
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unavailable', database: 'ok', redis: expect.stringMatching(/^unreachable/) });
    for (const path of ['/api/status', '/metrics']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(503);
      expect(((await response.json()) as any).error.code).toBe('not-ready');
    }
    expect((await app.request('/api/articles')).status).toBe(200);
    expect((await app.request('/status')).status).toBe(200);
  });

  it('a database fault is a logged 500 JSON for that request, and /healthz reports it', async () => {
    closeDatabase(db);
    const response = await app.request('/api/articles');
    expect(response.status).toBe(500);
    expect(((await response.json()) as any).error.code).toBe('internal');
    const health = (await (await app.request('/healthz')).json()) as any;
    expect(health.database).toMatch(/^unreachable/);
  });
});
