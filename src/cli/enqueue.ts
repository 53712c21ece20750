import { existsSync } from 'node:fs';
import { defineCommand } from 'citty';
import { closeDatabase, openDatabase, type Db } from '../../db/client.ts';
import { CommandFailedError, UsageError } from '../errors.ts';
import { enqueueUrls } from '../queue/enqueue-urls.ts';
import { openQueues } from '../queue/queues.ts';
import { createCommandConnection } from '../queue/redis-connection.ts';
import { readFetchValidators } from '../store/crawl-state-store.ts';
import { loadConfig, readStdin, readTextFile } from './runtime.ts';

export default defineCommand({
  meta: {
    name: 'enqueue',
    description:
      'Validate, canonicalize, dedupe and enqueue URLs for fetching. Reports how many were enqueued, already known and invalid; invalid lines are listed with the reason (exit 1) and do not stop the valid ones.',
  },
  args: {
    urls: { type: 'positional', required: false, description: 'URLs to enqueue; "-" reads one URL per line from standard input' },
    file: { type: 'string', alias: 'f', description: 'A file with one URL per line (blank lines and # comments are skipped)' },
    force: {
      type: 'boolean',
      default: false,
      description: 'Enqueue URLs that are already known again (a conditional re-fetch when the database is on this machine)',
    },
    format: { type: 'enum', options: ['text', 'json'], default: 'text', description: 'Report format' },
  },
  async run({ args }) {
    const lines = await collectInputLines(args._, args.file);
    if (lines.length === 0) throw new UsageError('no URLs given: pass URLs, --file FILE, or - for standard input');
    const config = loadConfig();
    const redis = createCommandConnection(config.REDIS_URL);
    try {
      await redis.connect().catch((error: Error) => {
        throw new CommandFailedError(`cannot reach Redis at ${config.REDIS_URL}: ${error.message}`);
      });
      const queues = openQueues(config, redis);
      // A forced re-fetch is conditional when this machine has the database with the validators.
      const db: Db | null = args.force && existsSync(config.DATABASE_PATH) ? openDatabase(config.DATABASE_PATH, { readonly: true }) : null;
      try {
        const report = await enqueueUrls(config, redis, queues, lines, {
          force: args.force,
          now: new Date(),
          ...(db ? { validatorsFor: (url: string) => readFetchValidators(db, url) } : {}),
        });
        if (args.format === 'json') {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } else {
          for (const bad of report.invalid) process.stderr.write(`invalid (line ${bad.line}): ${bad.input}: ${bad.reason}\n`);
          process.stdout.write(
            `enqueued ${report.enqueued}, already known ${report.alreadyKnown}, invalid ${report.invalid.length}\n`,
          );
        }
        if (report.invalid.length > 0) process.exitCode = 1;
      } finally {
        if (db) closeDatabase(db);
        await queues.close();
      }
    } finally {
      redis.disconnect();
    }
  },
});

async function collectInputLines(positionals: readonly string[], file: string | undefined): Promise<string[]> {
  const lines: string[] = [];
  for (const arg of positionals) {
    if (arg === '-') lines.push(...(await readStdin()).split(/\r?\n/));
    else lines.push(arg);
  }
  if (file) lines.push(...readTextFile(file).split(/\r?\n/));
  return lines;
}
