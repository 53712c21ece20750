import type { Writable } from 'node:stream';
import { defineCommand } from 'citty';
import type { SqliteReader } from '../store/sqlite-reader.ts';
import { countMatchingArticles, iterateArticles, type ArticleField, type ArticleFilters } from '../store/article-query.ts';
import { articleFilterArgs, parseArticleFilters, parseCount, parseFields, withUsageErrors } from './article-filter-args.ts';
import { formatTable, OUTPUT_FORMATS, type OutputFormat } from './output-format.ts';
import { OutputClosedError, writeRecords } from './record-stream.ts';
import { openReadOnlyDatabase } from './runtime.ts';

/** Rows returned when --limit is not given: a screenful, not the whole database. */
export const DEFAULT_LIMIT = 50;

export const TABLE_COLUMNS: readonly ArticleField[] = ['publishedAt', 'site', 'storyCode', 'title', 'url'];

/** The table column cut to fit a terminal; URLs stay whole so they can be copied. */
const TABLE_SHRINK_COLUMN: ArticleField = 'title';

export default defineCommand({
  meta: { name: 'query', description: 'Read clean articles from the database, newest first.' },
  args: {
    ...articleFilterArgs,
    limit: { type: 'string', description: `Most rows to return (default ${DEFAULT_LIMIT})` },
    count: { type: 'boolean', default: false, description: 'Print only how many articles match' },
    format: { type: 'enum', options: [...OUTPUT_FORMATS], default: 'table', description: 'Output format' },
  },
  async run({ args }) {
    const filters: ArticleFilters = { ...parseArticleFilters(args), limit: args.limit === undefined ? DEFAULT_LIMIT : parseCount('--limit', args.limit, 1) };
    const format = args.format as OutputFormat;
    const fields = parseFields(args.fields, format === 'table' ? TABLE_COLUMNS : undefined);
    const db = openReadOnlyDatabase();
    try {
      await withUsageErrors(() => writeQueryResult(db, filters, { count: args.count, format, fields }, process.stdout, process.stderr));
    } finally {
      db.close();
    }
  },
});

export interface QueryOutput {
  /** Print only how many articles match. */
  count: boolean;
  format: OutputFormat;
  fields: readonly ArticleField[];
}

/**
 * What `ingest query` prints for the filters: the rows (or their count) on `out`, and on `notes`
 * how many more match when the limit cut them. npm run bench:query times this same function.
 */
export async function writeQueryResult(db: SqliteReader, filters: ArticleFilters, output: QueryOutput, out: Writable & { isTTY?: boolean; columns?: number }, notes: Writable): Promise<void> {
  const { format, fields } = output;
  if (output.count) {
    const n = countMatchingArticles(db, { ...filters, limit: undefined, offset: undefined });
    out.write(format === 'json' || format === 'ndjson' ? `${JSON.stringify({ count: n })}\n` : `${n}\n`);
    return;
  }
  const written = format === 'table' ? printTable(db, filters, fields, out) : await streamRows(db, filters, fields, format, out);
  if (written === filters.limit) {
    const total = countMatchingArticles(db, { ...filters, limit: undefined, offset: undefined });
    const shownTo = (filters.offset ?? 0) + written;
    if (total > shownTo) notes.write(`${written} of ${total} rows; --limit to see more\n`);
  }
}

function printTable(db: SqliteReader, filters: ArticleFilters, fields: readonly ArticleField[], out: Writable & { isTTY?: boolean; columns?: number }): number {
  const rows = [...iterateArticles(db, filters, fields)];
  const tty = out.isTTY === true;
  out.write(formatTable(rows as Record<string, unknown>[], fields, tty ? { maxWidth: out.columns, shrinkColumn: TABLE_SHRINK_COLUMN } : {}));
  return rows.length;
}

async function streamRows(db: SqliteReader, filters: ArticleFilters, fields: readonly ArticleField[], format: Exclude<OutputFormat, 'table'>, out: Writable): Promise<number> {
  try {
    return await writeRecords(iterateArticles(db, filters, fields) as Iterable<Record<string, unknown>>, format, out, { fields });
  } catch (error) {
    if (error instanceof OutputClosedError) return 0;
    throw error;
  }
}
