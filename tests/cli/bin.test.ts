/** The installed `ingest` bin runs the compiled CLI (`npm ci` builds it through `prepare`). */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/ingest.js', import.meta.url));

describe('bin/ingest.js', () => {
  it('runs the compiled command', () => {
    const out = execFileSync(process.execPath, [BIN, 'query', '--help'], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
    expect(out).toContain('ingest query');
    expect(out).toContain('--story-code');
    expect(out).not.toMatch(/\u001B\[/);
  });

  it('says Redis is unreachable in one line, without ioredis noise (a real process: the test runner hides console output)', () => {
    const result = spawnSync(process.execPath, [BIN, 'enqueue', 'https://a.example/'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'silent' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('ingest enqueue: cannot reach Redis at redis://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1\n');
  });

  it('source commands without Redis: one clean line, no ioredis stack, and a password in REDIS_URL is not printed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bin-source-'));
    try {
      const env = { PATH: process.env['PATH'] ?? '', REDIS_URL: 'redis://:hunter2@127.0.0.1:1', DATABASE_PATH: join(dir, 'a.db'), LOG_LEVEL: 'silent' };
      const listed = spawnSync(process.execPath, [BIN, 'source', 'list'], { encoding: 'utf8', env, cwd: dir });
      expect(listed.status).toBe(0);
      expect(listed.stdout).toContain('(no rows)');
      expect(listed.stderr).toBe('');
      const run = spawnSync(process.execPath, [BIN, 'recrawl', '--all'], { encoding: 'utf8', env, cwd: dir });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe('ingest recrawl: cannot reach Redis at redis://:***@127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
