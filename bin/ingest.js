#!/usr/bin/env node
// The `ingest` command. Runs the compiled CLI (built by `npm run build`, which `npm ci` runs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as nodeModule from 'node:module';
import { reexecution } from './heap-limits.js';
import { installPackageTypeCache } from './package-type-cache.js';

const entry = new URL('../dist/src/cli/entry.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('ingest: not built yet: run `npm run build` (npm ci does it for you)\n');
  process.exit(1);
}
// Bounded commands run with heap limits (unless the user set their own), those that extract
// with scavenges on each isolate's own thread, and all with a fixed malloc mmap threshold
// (heap-limits.js): the same process, re-executed with them. Where process.execve is
// missing (Windows), without them.
const plan = reexecution(process.argv.slice(2), process.execArgv, process.env);
if (plan !== null && typeof process.execve === 'function') {
  process.execve(process.execPath, [process.execPath, ...process.execArgv, ...plan.options, ...process.argv.slice(1)], plan.env);
}
// Spares the module loader a package.json read per file of an installed package (a Node
// regression that cost the store role about half a second of start-up; package-type-cache.js).
installPackageTypeCache(nodeModule, process.execArgv, process.env);
await import(entry.href);
