#!/usr/bin/env node
/** Process entry of the `ingest` bin: run the command, exit with its code. */
import { main } from './main.ts';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ingest: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
