/**
 * Reading a request's query string into typed filters, refusing what the API does not know:
 * an unknown parameter, a repeated one, a date without a UTC offset, a limit out of range.
 * Pure: takes the raw parameters, returns values or throws ApiError (400).
 */
import type { ArticleListFilters } from '../store/article-listing.ts';
import { ApiError } from './api-error.ts';

/** Items on a page when `limit` is not given, and the most one page may hold. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Longest full-text query accepted: a real query is words, not a document. */
const MAX_QUERY_LENGTH = 500;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

export type RawParams = Record<string, string[]>;

/** The parameters of a URL, each name with every value it was given. */
export function rawParamsOf(url: URL): RawParams {
  const params: RawParams = {};
  for (const [name, value] of url.searchParams) (params[name] ??= []).push(value);
  return params;
}

/**
 * One value per allowed name; empty values count as absent (an HTML GET form sends `site=` for
 * an empty field).
 */
export function singleValues(params: RawParams, allowed: readonly string[]): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const [name, given] of Object.entries(params)) {
    if (!allowed.includes(name)) {
      throw new ApiError(400, 'unknown-parameter', `unknown parameter ${JSON.stringify(name)}: this endpoint takes ${allowed.join(', ')}`);
    }
    if (given.length > 1) throw new ApiError(400, 'bad-parameter', `parameter ${JSON.stringify(name)} is given ${given.length} times: give it once`);
    const value = given[0]!.trim();
    values[name] = value === '' ? undefined : value;
  }
  return values;
}

function isRealDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An instant in the stored form of published_at_utc: "2017-07-25T18:13:00Z". */
function storedInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A date bound as the stored UTC instant it stands for. `since` is the first instant included;
 * `until` the first instant excluded: a bare day (taken in UTC) includes the whole day, an
 * instant includes its own second.
 */
export function parseDateBound(name: 'since' | 'until', value: string): string {
  const day = DAY.exec(value);
  if (day) {
    const [, y, m, d] = day.map(Number) as [number, number, number, number];
    if (!isRealDay(y, m, d)) throw badDate(name, value, 'that day does not exist');
    const start = Date.UTC(y, m - 1, d);
    return storedInstant(name === 'since' ? start : start + 86_400_000);
  }
  const instant = INSTANT.exec(value);
  if (!instant) {
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) {
      throw badDate(name, value, 'an instant needs its UTC offset ("Z" or "+03:30")');
    }
    throw badDate(name, value, 'expected YYYY-MM-DD or an ISO 8601 instant like 2017-07-25T18:13:00Z');
  }
  const [, y, m, d, hh, mm, ss] = instant.map(Number) as number[];
  if (!isRealDay(y!, m!, d!) || hh! > 23 || mm! > 59 || (ss ?? 0) > 59) throw badDate(name, value, 'no such time');
  const ms = Date.parse(value.toUpperCase());
  if (Number.isNaN(ms)) throw badDate(name, value, 'no such time');
  const second = Math.floor(ms / 1000) * 1000;
  return storedInstant(name === 'since' ? second : second + 1000);
}

function badDate(name: string, value: string, why: string): ApiError {
  return new ApiError(400, 'bad-parameter', `${name}=${JSON.stringify(value)}: ${why}`);
}

export function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ApiError(400, 'bad-parameter', `limit=${JSON.stringify(value)}: expected a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return limit;
}

export function parseQueryText(value: string | undefined, name = 'q'): string | undefined {
  if (value !== undefined && value.length > MAX_QUERY_LENGTH) {
    throw new ApiError(400, 'bad-search', `${name} is ${value.length} characters long: at most ${MAX_QUERY_LENGTH}`);
  }
  return value;
}

/** The filters shared by the article list, search, the feed and the browse page. */
export function parseArticleFilters(values: Record<string, string | undefined>): ArticleListFilters {
  const filters: ArticleListFilters = {
    site: values['site'],
    storyCode: values['storyCode'],
    language: values['language'],
    search: parseQueryText(values['q']),
    since: values['since'] === undefined ? undefined : parseDateBound('since', values['since']),
    until: values['until'] === undefined ? undefined : parseDateBound('until', values['until']),
  };
  if (filters.storyCode !== undefined && !/^[0-9A-Za-z_-]{1,64}$/.test(filters.storyCode)) {
    throw new ApiError(400, 'bad-parameter', `storyCode=${JSON.stringify(filters.storyCode)}: expected the site's article id (letters, digits)`);
  }
  if (filters.language !== undefined && !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(filters.language)) {
    throw new ApiError(400, 'bad-parameter', `language=${JSON.stringify(filters.language)}: expected a BCP 47 tag like "en" or "fa"`);
  }
  if (filters.since && filters.until && filters.since >= filters.until) {
    throw new ApiError(400, 'bad-parameter', `since=${values['since']} is not before until=${values['until']}`);
  }
  return filters;
}
