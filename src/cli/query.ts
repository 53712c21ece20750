import { existsSync } from 'node:fs';
import { defineCommand } from 'citty';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { CommandFailedError, UsageError } from '../errors.ts';
import { InvalidSearchError, queryArticles } from '../store/article-query.ts';
import { formatRecords, OUTPUT_FORMATS, type OutputFormat } from './output-format.ts';
import { loadConfig } from './runtime.ts';

/** Rows returned when --limit is not given: a screenful, not the whole database. */
const DEFAULT_LIMIT = 50;

const TABLE_COLUMNS = ['publishedAt', 'site', 'storyCode', 'title', 'url'] as const;

/** ISO 8601 day or instant, as the filters compare against stored ISO strings. */
const ISO_DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export default defineCommand({
  meta: { name: 'query', description: 'Read clean articles from the database, newest first.' },
  args: {
    site: { type: 'string', description: 'Only this site (host without "www.")' },
    since: { type: 'string', description: 'Published on or after this date (YYYY-MM-DD or ISO instant)' },
    until: { type: 'string', description: 'Published up to this date (a bare day includes the whole day)' },
    'story-code': { type: 'string', description: "The site's own article id" },
    search: { type: 'string', description: 'Full-text search in title and text: words, "a phrase", OR, NOT, prefix*' },
    limit: { type: 'string', description: `Most rows to return (default ${DEFAULT_LIMIT})` },
    format: { type: 'enum', options: [...OUTPUT_FORMATS], default: 'table', description: 'Output format' },
  },
  run({ args }) {
    for (const name of ['since', 'until'] as const) {
      const value = args[name];
      if (value !== undefined && !ISO_DATE_OR_INSTANT.test(value)) {
        throw new UsageError(`--${name} expects YYYY-MM-DD or an ISO 8601 instant, not ${JSON.stringify(value)}`);
      }
    }
    const limit = args.limit === undefined ? DEFAULT_LIMIT : Number(args.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number above 0, not ${JSON.stringify(args.limit)}`);
    const config = loadConfig();
    if (!existsSync(config.DATABASE_PATH)) {
      throw new CommandFailedError(`no database at ${config.DATABASE_PATH} (DATABASE_PATH): run \`ingest worker\` or \`ingest import\` first`);
    }
    const db = openDatabase(config.DATABASE_PATH, { readonly: true });
    try {
      let rows;
      try {
        rows = queryArticles(db, {
          site: args.site,
          since: args.since,
          until: args.until,
          storyCode: args['story-code'],
          search: args.search,
          limit,
        });
      } catch (error) {
        if (error instanceof InvalidSearchError) throw new UsageError(error.message);
        throw error;
      }
      process.stdout.write(formatRecords(rows, args.format as OutputFormat, TABLE_COLUMNS));
    } finally {
      closeDatabase(db);
    }
  },
});
