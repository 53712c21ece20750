#!/usr/bin/env node
// The `ingest` command. Runs the compiled CLI (built by `npm run build`, which `npm ci` runs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { boundedEnvironment, heapLimitOptions } from './heap-limits.js';

const entry = new URL('../dist/src/cli/entry.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('ingest: not built yet: run `npm run build` (npm ci does it for you)\n');
  process.exit(1);
}
// Bounded commands run with heap limits and a fixed malloc mmap threshold (heap-limits.js): the
// same process, re-executed with them. Where process.execve is missing (Windows), without them.
const heapOptions = heapLimitOptions(process.argv.slice(2), process.execArgv, process.env.NODE_OPTIONS);
if (heapOptions !== null && typeof process.execve === 'function') {
  process.execve(process.execPath, [process.execPath, ...process.execArgv, ...heapOptions, ...process.argv.slice(1)], boundedEnvironment(process.env));
}
await import(entry.href);
