import { defineCommand } from 'citty';
import { countFailedUrls, failedReasons, iterateFailedUrls } from '../store/failed-urls.ts';
import { parseCount } from './article-filter-args.ts';
import { formatTable, OUTPUT_FORMATS, type OutputFormat } from './output-format.ts';
import { OutputClosedError, writeRecords } from './record-stream.ts';
import { openReadOnlyDatabase, plural } from './runtime.ts';

/** Rows shown when --limit is not given. */
const DEFAULT_LIMIT = 50;

const FIELDS = ['at', 'reason', 'httpStatus', 'attempts', 'url', 'error'] as const;

export default defineCommand({
  meta: {
    name: 'failed',
    description: 'List URLs whose last fetch failed, with their reasons, most recent first; `ingest retry` re-enqueues them.',
  },
  args: {
    reason: { type: 'string', description: 'Only this reason (http-404, timeout, robots, …)' },
    site: { type: 'string', description: 'Only this site (host without "www.")' },
    limit: { type: 'string', description: `Most rows (default ${DEFAULT_LIMIT})` },
    format: { type: 'enum', options: [...OUTPUT_FORMATS], default: 'table', description: 'Output format' },
  },
  async run({ args }) {
    const limit = args.limit === undefined ? DEFAULT_LIMIT : parseCount('--limit', args.limit, 1);
    const filters = { ...(args.reason ? { reason: args.reason } : {}), ...(args.site ? { site: args.site } : {}) };
    const db = openReadOnlyDatabase();
    try {
      const format = args.format as OutputFormat;
      let shown: number;
      if (format === 'table') {
        const rows = [...iterateFailedUrls(db, { ...filters, limit })];
        process.stdout.write(formatTable(rows as unknown as Record<string, unknown>[], ['at', 'reason', 'attempts', 'url'], tableOptions()));
        shown = rows.length;
        if (rows.length > 0) {
          const reasons = failedReasons(db, args.site ? { site: args.site } : {});
          process.stdout.write(`\nby reason: ${reasons.map((r) => `${r.reason ?? 'unknown'} ${r.count}`).join(', ')}\n`);
        }
      } else {
        try {
          shown = await writeRecords(iterateFailedUrls(db, { ...filters, limit }) as Iterable<Record<string, unknown>>, format, process.stdout, { fields: FIELDS });
        } catch (error) {
          if (error instanceof OutputClosedError) return;
          throw error;
        }
      }
      const total = countFailedUrls(db, filters);
      if (shown < total) process.stderr.write(`${shown} of ${plural(total, 'failed URL')}; --limit to see more\n`);
    } finally {
      db.close();
    }
  },
});

function tableOptions() {
  return process.stdout.isTTY ? { maxWidth: process.stdout.columns, shrinkColumn: 'reason' } : {};
}
