/** Usage errors, help, version and configuration errors of every command, run in-process. */
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.ts';

const env = { REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: 'unused-by-usage-tests', LOG_LEVEL: 'silent', DATABASE_PATH: '/nonexistent/usage-tests.db' };
const COMMANDS = ['extract', 'enqueue', 'crawl', 'fetch', 'worker', 'query', 'export', 'failed', 'retry', 'import', 'status'];

describe('ingest command line', () => {
  it('prints help for every command and exits 0, without colours when not a terminal', async () => {
    for (const command of COMMANDS) {
      const result = await runMain([command, '--help'], env);
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toContain(`ingest ${command}`);
      expect(result.stdout, command).not.toMatch(/\u001B\[/);
    }
    const top = await runMain(['--help'], env);
    expect(top.stdout).toMatch(/enqueue/);
    expect((await runMain(['--version'], env)).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('refuses unknown or misspelled flags in every command with a hint, exit 2', async () => {
    for (const command of COMMANDS) {
      const result = await runMain([command, '--fromat', 'json'], env);
      expect(result.code, command).toBe(2);
      expect(result.stderr, command).toContain('unknown flag --fromat');
    }
    const since = await runMain(['query', '--sinse', '2024-01-01'], env);
    expect(since.stderr).toContain('did you mean --since?');
    const role = await runMain(['worker', '--rol', 'fetch'], env);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('did you mean --role?');
    const command = await runMain(['qeury'], env);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "qeury" (did you mean query?)');
  });

  it('exits 2 on usage errors, naming the flag', async () => {
    const noUrls = await runMain(['enqueue'], env);
    expect(noUrls.code).toBe(2);
    expect(noUrls.stderr).toContain('no URLs given');
    expect((await runMain(['query', '--format', 'xml'], env)).code).toBe(2);
    for (const [flag, value] of [['--since', 'yesterday'], ['--since', '2023-13-45'], ['--until', '2023-13-45'], ['--tz', 'Mars/Olympus'], ['--limit', '0'], ['--offset', '-3'], ['--fields', 'title,nope'], ['--language', 'english!']]) {
      const result = await runMain(['query', flag!, value!], env);
      expect(result.code, `${flag} ${value}`).toBe(2);
      expect(result.stderr, `${flag} ${value}`).toContain(flag!);
    }
    expect((await runMain(['worker', '--max-pages', 'many'], env)).stderr).toContain('--max-pages');
    expect((await runMain(['retry'], env)).code).toBe(2);
    expect((await runMain(['status', 'extra'], env)).code).toBe(2);
  });

  it('exits 1 with a message naming the variable on bad configuration', async () => {
    const result = await runMain(['status'], { ...env, PER_HOST_CONCURRENCY: 'lots' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PER_HOST_CONCURRENCY="lots"');
  });

  it('exits 1 when Redis cannot be reached, with one clean line and no ioredis noise', async () => {
    for (const args of [['enqueue', 'https://a.example/'], ['status']]) {
      const result = await runMain(args, { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('cannot reach Redis at redis://127.0.0.1:1');
      expect(result.stderr).not.toContain('Unhandled error event');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
