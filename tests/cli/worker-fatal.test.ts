/**
 * A worker that cannot use its database exits non-zero at once with a message naming
 * DATABASE_PATH, instead of hanging on its Redis connections (so a restart policy kicks in).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-fatal-'));
  writeFileSync(join(dir, 'a-file'), 'not a folder');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ingest worker with an unusable DATABASE_PATH', () => {
  it.each([
    ['a folder', () => dir],
    ['a path under a file', () => join(dir, 'a-file', 'articles.db')],
  ])('exits 1 with a clear message when DATABASE_PATH is %s', async (_label, path) => {
    const result = await runCli(['worker'], {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: uniqueQueuePrefix('fatal'),
      DATABASE_PATH: path(),
      LOG_LEVEL: 'info',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot use DATABASE_PATH=${path()}`);
    expect(result.stderr).not.toContain('workers started');
  }, 60_000);
});
