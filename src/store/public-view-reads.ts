/**
 * Reading article versions and configured sources through the stable SQL views
 * (`article_versions_v`, `sources_v`; README, "SQL views"), so the server depends on their
 * documented columns rather than on the tables behind them. A database made before those views
 * existed answers null: the API then leaves the field out instead of failing.
 */
import type { Db } from '../../db/client.ts';

export interface ArticleVersion {
  version: number;
  fetchedAt: string;
  contentHash: string;
  title: string | null;
  text: string;
  wordCount: number;
  url: string | null;
  suspicious: boolean;
  note: string | null;
}

export interface ConfiguredSource {
  id: number;
  url: string;
  kind: string;
  schedule: string;
  intervalMs: number | null;
  paused: boolean;
  lastRunAt: string | null;
  lastStatus: string | null;
  lastReason: string | null;
  lastError: string | null;
  linksFound: number | null;
  linksNew: number | null;
  nextRunAt: string | null;
  polls: number;
  notModifiedPolls: number;
}

/** Views are looked up once per connection: a running server does not gain a migration. */
const viewsByConnection = new WeakMap<object, Set<string>>();

function hasView(db: Db, name: string): boolean {
  let views = viewsByConnection.get(db.$client);
  if (!views) {
    const rows = db.$client.prepare(`select name from sqlite_master where type = 'view'`).all() as Array<{ name: string }>;
    views = new Set(rows.map((row) => row.name));
    viewsByConnection.set(db.$client, views);
  }
  return views.has(name);
}

/** Every version of an article, oldest first; null when the database has no versions view. */
export function readArticleVersions(db: Db, articleId: number): ArticleVersion[] | null {
  if (!hasView(db, 'article_versions_v')) return null;
  const rows = db.$client
    .prepare(
      `select version, fetched_at, content_hash, title, text, word_count, url, suspicious, note
       from article_versions_v where article_id = ? order by version`,
    )
    .all(articleId) as Array<Record<string, unknown>>;
  return rows.map((row) => ({
    version: Number(row['version']),
    fetchedAt: String(row['fetched_at']),
    contentHash: String(row['content_hash']),
    title: (row['title'] as string | null) ?? null,
    text: String(row['text']),
    wordCount: Number(row['word_count']),
    url: (row['url'] as string | null) ?? null,
    suspicious: Boolean(row['suspicious']),
    note: (row['note'] as string | null) ?? null,
  }));
}

/** The feeds, sitemaps and section pages polled on a schedule; null without a sources view. */
export function readConfiguredSources(db: Db): ConfiguredSource[] | null {
  if (!hasView(db, 'sources_v')) return null;
  const rows = db.$client
    .prepare(
      `select id, url, kind, schedule, interval_ms, paused, last_run_at, last_status, last_reason, last_error,
              links_found, links_new, next_run_at, polls, not_modified_polls
       from sources_v order by url`,
    )
    .all() as Array<Record<string, unknown>>;
  return rows.map((row) => ({
    id: Number(row['id']),
    url: String(row['url']),
    kind: String(row['kind']),
    schedule: String(row['schedule']),
    intervalMs: (row['interval_ms'] as number | null) ?? null,
    paused: Boolean(row['paused']),
    lastRunAt: (row['last_run_at'] as string | null) ?? null,
    lastStatus: (row['last_status'] as string | null) ?? null,
    lastReason: (row['last_reason'] as string | null) ?? null,
    lastError: (row['last_error'] as string | null) ?? null,
    linksFound: (row['links_found'] as number | null) ?? null,
    linksNew: (row['links_new'] as number | null) ?? null,
    nextRunAt: (row['next_run_at'] as string | null) ?? null,
    polls: Number(row['polls'] ?? 0),
    notModifiedPolls: Number(row['not_modified_polls'] ?? 0),
  }));
}
