import { existsSync } from 'node:fs';
import { defineCommand } from 'citty';
import type { Config } from '../config.ts';
import { UsageError } from '../errors.ts';
import type { FetchValidators } from '../queue/job-data.ts';
import { enqueueUrls, type EnqueueReport } from '../queue/enqueue-urls.ts';
import { openQueues } from '../queue/queues.ts';
import { fileLines } from './input-lines.ts';
import { createProgress } from './progress.ts';
import { connectCommandRedis, loadConfig } from './runtime.ts';

export default defineCommand({
  meta: {
    name: 'enqueue',
    description:
      'Validate, canonicalize, dedupe and enqueue URLs for fetching. Reports how many were enqueued, already known and invalid; invalid lines are listed with the reason (exit 1) and do not stop the valid ones.',
  },
  args: {
    urls: { type: 'positional', required: false, description: 'URLs to enqueue; "-" reads one URL per line from standard input' },
    file: { type: 'string', alias: 'f', description: 'A file with one URL per line (blank lines and # comments are skipped); read as a stream, any size' },
    force: {
      type: 'boolean',
      default: false,
      description: 'Fetch known URLs again (once: a URL whose job is still queued is not added twice; conditional when the database is on this machine)',
    },
    format: { type: 'enum', options: ['text', 'json'], default: 'text', description: 'Report format' },
  },
  async run({ args }) {
    const sources = inputSources(args._, args.file);
    const config = loadConfig();
    const { report } = await enqueueFromSources(config, sources, { force: args.force });
    printEnqueueReport(report, args.format === 'json' ? 'json' : 'text');
    if (report.invalidCount > 0) process.exitCode = 1;
  },
});

/** Where URLs come from: positional URLs, "-" (standard input) and --file, in that order. */
export type InputSource = { kind: 'url'; url: string } | { kind: 'file'; path: string };

export function inputSources(positionals: readonly string[], file: string | undefined): InputSource[] {
  const sources: InputSource[] = positionals.map((arg) => (arg === '-' ? { kind: 'file', path: '-' } : { kind: 'url', url: arg }));
  if (file !== undefined) {
    if (file.trim() === '') throw new UsageError('--file needs a path');
    sources.push({ kind: 'file', path: file });
  }
  if (sources.length === 0) throw new UsageError('no URLs given: pass URLs, --file FILE, or - for standard input');
  return sources;
}

async function* linesOf(sources: readonly InputSource[]): AsyncGenerator<string> {
  for (const source of sources) {
    if (source.kind === 'url') yield source.url;
    else yield* fileLines(source.path);
  }
}

/** Enqueue every source's URLs with progress on stderr; shared by `enqueue` and `crawl`. */
export async function enqueueFromSources(config: Config, sources: readonly InputSource[], options: { force: boolean }): Promise<{ report: EnqueueReport }> {
  const redis = await connectCommandRedis(config);
  try {
    const queues = openQueues(config, redis);
    // A forced re-fetch is conditional when this machine has the database with the validators.
    const validators = options.force && existsSync(config.DATABASE_PATH) ? await openValidators(config.DATABASE_PATH) : null;
    const progress = createProgress(process.stderr);
    try {
      const report = await enqueueUrls(config, redis, queues, linesOf(sources), {
        force: options.force,
        now: new Date(),
        ...(validators ? { validatorsFor: validators.read } : {}),
        onBatch: (so) => progress.update(() => `enqueue: ${so.lines} lines read, ${so.enqueued} enqueued, ${so.alreadyKnown} already known, ${so.invalidCount} invalid`),
      });
      return { report };
    } finally {
      progress.clear();
      validators?.close();
      await queues.close();
    }
  } finally {
    redis.disconnect();
  }
}

export function printEnqueueReport(report: EnqueueReport, format: 'text' | 'json'): void {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  for (const bad of report.invalid) process.stderr.write(`invalid (line ${bad.line}): ${bad.input}: ${bad.reason}\n`);
  const unlisted = report.invalidCount - report.invalid.length;
  if (unlisted > 0) process.stderr.write(`… and ${unlisted} more invalid lines not listed\n`);
  const queued = report.alreadyQueued > 0 ? `, already queued ${report.alreadyQueued}` : '';
  process.stdout.write(`enqueued ${report.enqueued}, already known ${report.alreadyKnown}${queued}, invalid ${report.invalidCount}\n`);
}

/**
 * The last fetch's validators per URL, from the database on this machine. The ORM is loaded
 * only here, for --force: a plain enqueue does not pay its start-up cost.
 */
async function openValidators(path: string): Promise<{ read: (url: string) => FetchValidators | null; close(): void }> {
  const [{ openDatabase, closeDatabase }, { readFetchValidators }] = await Promise.all([
    import('../../db/client.ts'),
    import('../store/crawl-state-store.ts'),
  ]);
  const db = openDatabase(path, { readonly: true });
  return { read: (url) => readFetchValidators(db, url), close: () => closeDatabase(db) };
}
