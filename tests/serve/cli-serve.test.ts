import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { collect, spawnCli } from '../helpers/run-cli.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

describe('ingest serve', () => {
  it('listens on 127.0.0.1, says where, answers /healthz, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-cli-'));
    const prefix = uniqueQueuePrefix('serve-cli');
    const databasePath = join(dir, 'articles.db');
    closeDatabase(openDatabase(databasePath));
    const child = spawnCli(['serve', '--port', '0'], { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, DATABASE_PATH: databasePath, LOG_LEVEL: 'silent' });
    const done = collect(child);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let seen = '';
        child.stdout!.on('data', (chunk) => {
          seen += chunk;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`ingest serve exited with ${code}`)));
      });
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await (await fetch(`${url}/api/articles?q=anything`)).json()).toEqual({ items: [], next: null });
      child.kill('SIGTERM');
      const result = await done;
      expect(result.code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await deleteKeysWithPrefix(prefix);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
