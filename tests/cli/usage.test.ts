import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

const env = { REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: 'unused-by-usage-tests', LOG_LEVEL: 'silent' };

describe('ingest command line', () => {
  it('prints help for every command and exits 0', async () => {
    for (const command of ['extract', 'enqueue', 'worker', 'query', 'import', 'status']) {
      const result = await runCli([command, '--help'], env);
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toContain(`ingest ${command}`);
    }
    const top = await runCli(['--help'], env);
    expect(top.stdout).toMatch(/enqueue/);
  });

  it('exits 2 on usage errors, naming the problem', async () => {
    const unknown = await runCli(['frobnicate'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const noUrls = await runCli(['enqueue'], env);
    expect(noUrls.code).toBe(2);
    expect(noUrls.stderr).toContain('no URLs given');
    const badFormat = await runCli(['query', '--format', 'xml'], env);
    expect(badFormat.code).toBe(2);
    const badDate = await runCli(['query', '--since', 'yesterday'], env);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--since expects YYYY-MM-DD');
  });

  it('exits 1 with a message naming the variable on bad configuration', async () => {
    const result = await runCli(['status'], { ...env, PER_HOST_CONCURRENCY: 'lots' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PER_HOST_CONCURRENCY="lots"');
  });

  it('exits 1 when Redis cannot be reached', async () => {
    const result = await runCli(['enqueue', 'https://a.example/'], { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach Redis at redis://127.0.0.1:1');
  });
});
