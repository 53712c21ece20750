#!/usr/bin/env node
// The `ingest` command. Runs the compiled CLI (built by `npm run build`, which `npm ci` runs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/entry.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('ingest: not built yet: run `npm run build` (npm ci does it for you)\n');
  process.exit(1);
}
await import(entry.href);
