/**
 * Commands with subcommands of their own (`ingest source list`): the strict flag check and
 * --help apply to the subcommand that runs, not to its parent, which declares no flags.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.ts';

const dir = mkdtempSync(join(tmpdir(), 'ingest-subcommand-flags-'));
const env = { DATABASE_PATH: join(dir, 'articles.db'), LOG_LEVEL: 'silent' };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('subcommand flags', () => {
  it('accepts the flags the subcommand declares (source list --format json prints an array)', async () => {
    const result = await runMain(['source', 'list', '--format', 'json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('refuses a misspelled subcommand flag with a hint (exit 2)', async () => {
    const result = await runMain(['source', 'list', '--fromat', 'json'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown flag --fromat (did you mean --format?)');
  });

  it('prints the subcommand’s own usage for --help', async () => {
    const result = await runMain(['source', 'add', '--help'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('source add');
    expect(result.stdout).toContain('--every');
  });
});
