import { createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { defineCommand } from 'citty';
import { CommandFailedError } from '../errors.ts';
import { iterateArticles, type ArticleFilters } from '../store/article-query.ts';
import { articleFilterArgs, parseArticleFilters, parseCount, parseFields, withUsageErrors } from './article-filter-args.ts';
import { STREAM_FORMATS, type StreamFormat } from './output-format.ts';
import { createProgress } from './progress.ts';
import { OutputClosedError, writeRecords } from './record-stream.ts';
import { openReadOnlyDatabase } from './runtime.ts';

export default defineCommand({
  meta: {
    name: 'export',
    description:
      'Stream articles out of the database in constant memory (any size), newest first: ndjson (default), csv, or one JSON array. Same filters as query, no row limit unless --limit.',
  },
  args: {
    ...articleFilterArgs,
    limit: { type: 'string', description: 'Most rows (default: all)' },
    format: { type: 'enum', options: [...STREAM_FORMATS], default: 'ndjson', description: 'Output format' },
    output: { type: 'string', alias: 'o', description: 'Write to this file (written beside it, renamed into place when complete) instead of standard output' },
  },
  async run({ args }) {
    const filters: ArticleFilters = { ...parseArticleFilters(args), ...(args.limit === undefined ? {} : { limit: parseCount('--limit', args.limit, 1) }) };
    const fields = parseFields(args.fields);
    const format = args.format as StreamFormat;
    const db = openReadOnlyDatabase();
    const target = args.output ? openOutputFile(args.output) : null;
    const progress = createProgress(process.stderr);
    let written = 0;
    try {
      written = await withUsageErrors(() =>
        writeRecords(iterateArticles(db, filters, fields) as Iterable<Record<string, unknown>>, format, target?.stream ?? process.stdout, {
          fields,
          onRecord: (n) => progress.update(() => `exporting: ${n} articles written`),
        }),
      );
      if (target) await target.commit();
    } catch (error) {
      if (target) target.abandon();
      if (!(error instanceof OutputClosedError)) throw error;
    } finally {
      progress.clear();
      db.close();
    }
    process.stderr.write(`exported ${written} articles${args.output ? ` to ${args.output}` : ''}\n`);
  },
});

interface OutputFile {
  stream: Writable;
  /** Finish writing and move the complete file into place. */
  commit(): Promise<void>;
  /** Remove the partial file (the export failed). */
  abandon(): void;
}

/** The export goes to FILE.partial and becomes FILE only when complete: a failure leaves no half file. */
function openOutputFile(path: string): OutputFile {
  const partial = `${path}.partial`;
  // Opened now, not when the stream gets round to it: an unwritable path fails before any work.
  let fd: number;
  try {
    fd = openSync(partial, 'w');
  } catch (error) {
    throw new CommandFailedError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const stream = createWriteStream(partial, { fd });
  return {
    stream,
    async commit() {
      stream.end();
      try {
        await finished(stream);
        renameSync(partial, path);
      } catch (error) {
        rmSync(partial, { force: true });
        throw new CommandFailedError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    },
    abandon() {
      stream.on('error', () => {});
      // Destroying the stream closes its descriptor (autoClose).
      stream.destroy();
      rmSync(partial, { force: true });
    },
  };
}
