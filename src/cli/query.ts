import { defineCommand } from 'citty';
import type { SqliteReader } from '../store/sqlite-reader.ts';
import { countMatchingArticles, iterateArticles, type ArticleField, type ArticleFilters } from '../store/article-query.ts';
import { articleFilterArgs, parseArticleFilters, parseCount, parseFields, withUsageErrors } from './article-filter-args.ts';
import { formatTable, OUTPUT_FORMATS, type OutputFormat } from './output-format.ts';
import { OutputClosedError, writeRecords } from './record-stream.ts';
import { openReadOnlyDatabase } from './runtime.ts';

/** Rows returned when --limit is not given: a screenful, not the whole database. */
const DEFAULT_LIMIT = 50;

const TABLE_COLUMNS: readonly ArticleField[] = ['publishedAt', 'site', 'storyCode', 'title', 'url'];

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
      await withUsageErrors(async () => {
        if (args.count) {
          const n = countMatchingArticles(db, { ...filters, limit: undefined, offset: undefined });
          process.stdout.write(format === 'json' || format === 'ndjson' ? `${JSON.stringify({ count: n })}\n` : `${n}\n`);
          return;
        }
        const written = format === 'table' ? printTable(db, filters, fields) : await streamRows(db, filters, fields, format);
        if (written === filters.limit) {
          const total = countMatchingArticles(db, { ...filters, limit: undefined, offset: undefined });
          const shownTo = (filters.offset ?? 0) + written;
          if (total > shownTo) process.stderr.write(`${written} of ${total} rows; --limit to see more\n`);
        }
      });
    } finally {
      db.close();
    }
  },
});

function printTable(db: SqliteReader, filters: ArticleFilters, fields: readonly ArticleField[]): number {
  const rows = [...iterateArticles(db, filters, fields)];
  const tty = process.stdout.isTTY === true;
  process.stdout.write(
    formatTable(rows as Record<string, unknown>[], fields, tty ? { maxWidth: process.stdout.columns, shrinkColumn: TABLE_SHRINK_COLUMN } : {}),
  );
  return rows.length;
}

async function streamRows(db: SqliteReader, filters: ArticleFilters, fields: readonly ArticleField[], format: Exclude<OutputFormat, 'table'>): Promise<number> {
  try {
    return await writeRecords(iterateArticles(db, filters, fields) as Iterable<Record<string, unknown>>, format, process.stdout, { fields });
  } catch (error) {
    if (error instanceof OutputClosedError) return 0;
    throw error;
  }
}
