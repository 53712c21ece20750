/**
 * The article filters shared by `ingest query` and `ingest export`: one declaration (flags and
 * help text) and one parser from flag values to store filters, so both commands accept and
 * refuse exactly the same things. Every bad value is a usage error naming its flag.
 */
import { UsageError } from '../errors.ts';
import { ARTICLE_FIELDS, InvalidSearchError, type ArticleField, type ArticleFilters } from '../store/article-query.ts';
import { parseTimeZoneFlag, publicationRange } from './time-filter.ts';

export const articleFilterArgs = {
  site: { type: 'string', description: 'Only this site (host without "www.")' },
  since: { type: 'string', description: 'Published at or after: YYYY-MM-DD (that day, UTC unless --tz) or an ISO 8601 time' },
  until: { type: 'string', description: 'Published up to: a bare day includes the whole day, a time includes that second' },
  tz: { type: 'string', description: 'IANA time zone for bare days and times without an offset in --since/--until (default UTC)' },
  'story-code': { type: 'string', description: "The site's own article id" },
  language: { type: 'string', description: 'BCP 47 language ("en" also matches "en-GB")' },
  search: { type: 'string', description: 'Full-text search in title and text: words, "a phrase", OR, NOT, prefix*' },
  fields: { type: 'string', description: `Comma-separated fields to print (${ARTICLE_FIELDS.join(', ')})` },
  offset: { type: 'string', description: 'Skip this many rows first (paging)' },
} as const;

export interface ArticleFilterFlags {
  site?: string;
  since?: string;
  until?: string;
  tz?: string;
  'story-code'?: string;
  language?: string;
  search?: string;
  fields?: string;
  offset?: string;
}

export function parseArticleFilters(flags: ArticleFilterFlags): Omit<ArticleFilters, 'limit'> {
  const range = publicationRange(nonEmpty('--since', flags.since), nonEmpty('--until', flags.until), parseTimeZoneFlag(nonEmpty('--tz', flags.tz)));
  const filters: Omit<ArticleFilters, 'limit'> = {};
  if (range.from) filters.publishedFrom = range.from;
  if (range.before) filters.publishedBefore = range.before;
  const site = nonEmpty('--site', flags.site);
  if (site) filters.site = site;
  const storyCode = nonEmpty('--story-code', flags['story-code']);
  if (storyCode) filters.storyCode = storyCode;
  const language = nonEmpty('--language', flags.language);
  if (language) {
    if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(language)) throw new UsageError(`--language expects a BCP 47 tag like en or fa, not ${JSON.stringify(language)}`);
    filters.language = language;
  }
  const search = nonEmpty('--search', flags.search);
  if (search) filters.search = search;
  if (flags.offset !== undefined) filters.offset = parseCount('--offset', flags.offset, 0);
  return filters;
}

/** The fields to print: every field, or the --fields list (unknown names are usage errors). */
export function parseFields(value: string | undefined, fallback: readonly ArticleField[] = ARTICLE_FIELDS): ArticleField[] {
  if (value === undefined) return [...fallback];
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError('--fields needs at least one field name');
  for (const name of names) {
    if (!(ARTICLE_FIELDS as readonly string[]).includes(name)) {
      throw new UsageError(`--fields: unknown field ${JSON.stringify(name)}; known fields: ${ARTICLE_FIELDS.join(', ')}`);
    }
  }
  return names as ArticleField[];
}

/** A whole number of at least `min`, or a usage error naming the flag. */
export function parseCount(flag: string, value: string, min: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} expects a whole number of at least ${min}, not ${JSON.stringify(value)}`);
  return n;
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new UsageError(`${flag} needs a value`);
  return value.trim();
}

/** A malformed --search is the user's mistake: a usage error, not a failure. */
export async function withUsageErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InvalidSearchError) throw new UsageError(error.message);
    throw error;
  }
}
