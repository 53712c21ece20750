/** The installed `ingest` bin runs the compiled CLI (`npm ci` builds it through `prepare`). */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/ingest.js', import.meta.url));

describe('bin/ingest.js', () => {
  it('runs the compiled command', () => {
    const out = execFileSync(process.execPath, [BIN, 'query', '--help'], { encoding: 'utf8' });
    expect(out).toContain('ingest query');
    expect(out).toContain('--story-code');
  });
});
