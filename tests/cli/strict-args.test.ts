import { describe, expect, it } from 'vitest';
import type { ArgsDef } from 'citty';
import { checkArgs, editDistance, nearest } from '../../src/cli/strict-args.ts';

const args: ArgsDef = {
  urls: { type: 'positional', required: false },
  since: { type: 'string' },
  'story-code': { type: 'string' },
  format: { type: 'enum', options: ['table', 'json'] },
  force: { type: 'boolean' },
  file: { type: 'string', alias: 'f' },
};

const usage = (raw: string[]) => {
  try {
    checkArgs(raw, args);
    return null;
  } catch (error) {
    expect((error as { exitCode: number }).exitCode).toBe(2);
    return (error as Error).message;
  }
};

describe('strict flags', () => {
  it('accepts declared flags in every spelling, with values inline or next', () => {
    expect(usage(['--since', '2024-01-01', '--story-code=7', '--storyCode', '8', '-f', 'x.txt', '--force', '--no-force', '--help', 'https://a.example/'])).toBeNull();
    expect(usage(['-', '--', '--not-a-flag-after-dashes'])).toBeNull();
  });

  it('refuses unknown flags with the nearest known one as a hint', () => {
    expect(usage(['--sinse', '2024'])).toBe('unknown flag --sinse (did you mean --since?)');
    expect(usage(['--fromat', 'json'])).toBe('unknown flag --fromat (did you mean --format?)');
    expect(usage(['--zzzzzz'])).toBe('unknown flag --zzzzzz');
    expect(usage(['-x'])).toBe('unknown flag -x');
  });

  it('refuses a string flag without its value, and positionals where none are taken', () => {
    expect(usage(['--since'])).toBe('--since needs a value');
    expect(usage(['--file', '--force'])).toBe('--file needs a value');
    expect(() => checkArgs(['stray'], { format: { type: 'string' } })).toThrow(/unexpected argument "stray"/);
  });

  it('measures edits with swaps counted once', () => {
    expect(editDistance('fromat', 'format')).toBe(1);
    expect(editDistance('sinse', 'since')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(nearest('rol', ['role', 'concurrency'])).toBe('role');
    expect(nearest('qwerty', ['role'])).toBeNull();
  });
});
