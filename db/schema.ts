/**
 * The database schema: the single source of truth. Migrations in db/migrations are generated
 * from it with `npm run db:generate` (drizzle-kit) and applied at start-up.
 */
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Clean articles. `articleKey` identifies an article across URLs: "site#storyCode" when the site
 * gives a story code (print pages, mobile hosts and tracking parameters all map to one row),
 * else the canonical URL. Re-ingesting the same article updates its row.
 */
export const articles = sqliteTable(
  'articles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleKey: text('article_key').notNull(),
    url: text('url'),
    canonicalUrl: text('canonical_url'),
    site: text('site'),
    title: text('title'),
    authors: text('authors', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    description: text('description'),
    publishedAt: text('published_at'),
    publishedPrecision: text('published_precision', { enum: ['day', 'minute', 'second'] }),
    /** The instant in UTC ("2017-07-25T18:13:00Z") when an offset is known; null otherwise (never guessed). */
    publishedAtUtc: text('published_at_utc'),
    publishedAtRaw: text('published_at_raw'),
    modifiedAt: text('modified_at'),
    retrievedAt: text('retrieved_at'),
    storyCode: text('story_code'),
    credit: text('credit'),
    language: text('language'),
    text: text('text').notNull(),
    wordCount: integer('word_count').notNull(),
    contentHash: text('content_hash').notNull(),
    extractor: text('extractor').notNull(),
    /** When this row was first stored and last changed (ISO instants, UTC). */
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('articles_article_key_unique').on(table.articleKey),
    index('articles_site_published_idx').on(table.site, table.publishedAtUtc),
    index('articles_published_idx').on(table.publishedAtUtc),
    index('articles_story_code_idx').on(table.storyCode),
    // Three expression indexes for `ingest query` and `export` (on db/article-expressions.ts)
    // live in migration 0004, written by hand: drizzle-kit cannot generate expression indexes.
  ],
);

/** What happened to each URL the pipeline was asked to fetch: one row per canonical URL. */
export const crawlState = sqliteTable(
  'crawl_state',
  {
    url: text('url').primaryKey(),
    site: text('site').notNull(),
    /** stored: article saved; unchanged: 304 or same content; retrying: a transient fault, another attempt is scheduled; failed: a final outcome, see reason */
    status: text('status', {
      enum: ['stored', 'unchanged', 'retrying', 'failed'],
    }).notNull(),
    /** Short machine-readable reason for the last failure ("http-404", "timeout", "robots"). */
    reason: text('reason'),
    httpStatus: integer('http_status'),
    lastError: text('last_error'),
    attempts: integer('attempts').notNull().default(0),
    finalUrl: text('final_url'),
    etag: text('etag'),
    lastModified: text('last_modified'),
    contentHash: text('content_hash'),
    articleId: integer('article_id').references(() => articles.id, { onDelete: 'set null' }),
    /** Milliseconds spent on the last fetch (connect to last byte). */
    fetchMs: integer('fetch_ms'),
    fetchedAt: text('fetched_at'),
    nextFetchAt: text('next_fetch_at'),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    index('crawl_state_status_idx').on(table.status, table.reason),
    index('crawl_state_updated_idx').on(table.updatedAt),
  ],
);

/**
 * Every version of an article's title and text, numbered from 1 in the order fetched. The
 * article row shows the latest good one; a suspicious version (a refresh with far less text: a
 * soft 404, a paywall teaser) is kept here but does not replace the article.
 */
export const articleVersions = sqliteTable(
  'article_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** When the page of this version was fetched (ISO instant, UTC). */
    fetchedAt: text('fetched_at').notNull(),
    contentHash: text('content_hash').notNull(),
    title: text('title'),
    text: text('text').notNull(),
    wordCount: integer('word_count').notNull(),
    /** The URL this version was fetched from. */
    url: text('url'),
    /** 1 when the version was judged not to replace the article (see README, "No silent overwrites"). */
    suspicious: integer('suspicious', { mode: 'boolean' }).notNull().default(false),
    /** Why a version is suspicious ("text fell from 812 to 35 words"), else null. */
    note: text('note'),
  },
  (table) => [uniqueIndex('article_versions_article_version_unique').on(table.articleId, table.version)],
);

/**
 * Feeds, sitemaps and section pages polled on a schedule: the truth from which the BullMQ job
 * schedulers are synced. Validators and the body hash make each poll conditional.
 */
export const sources = sqliteTable(
  'sources',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Canonical URL of the feed, sitemap or page. */
    url: text('url').notNull(),
    kind: text('kind', { enum: ['feed', 'sitemap', 'page'] }).notNull(),
    /** Fixed interval (ms) given with --every, or null for a cron or an adaptive source. */
    everyMs: integer('every_ms'),
    /** Cron expression given with --cron, or null. */
    cron: text('cron'),
    /** Whether the interval adapts to how often the source changes (README, "Adaptive intervals"). */
    adaptive: integer('adaptive', { mode: 'boolean' }).notNull(),
    /** The interval (ms) the schedule runs at now; null for a cron source. */
    intervalMs: integer('interval_ms'),
    /** Regular expression a section page's links must match, or null. */
    pattern: text('pattern'),
    paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
    etag: text('etag'),
    lastModified: text('last_modified'),
    /** sha256 of the last body read: a 200 with the same bytes counts as unchanged. */
    contentHash: text('content_hash'),
    lastRunAt: text('last_run_at'),
    /** changed: new links were found; unchanged: same body or no new links; not-modified: 304; retrying; failed */
    lastStatus: text('last_status', { enum: ['changed', 'unchanged', 'not-modified', 'retrying', 'failed'] }),
    lastReason: text('last_reason'),
    lastError: text('last_error'),
    lastHttpStatus: integer('last_http_status'),
    /** Links the last run read, and how many of them it enqueued (new or due for a refresh). */
    linksFound: integer('links_found'),
    linksNew: integer('links_new'),
    /** Polls made, polls answered 304, and bytes downloaded, since the source was added. */
    polls: integer('polls').notNull().default(0),
    notModifiedPolls: integer('not_modified_polls').notNull().default(0),
    bytesDownloaded: integer('bytes_downloaded').notNull().default(0),
    nextRunAt: text('next_run_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [uniqueIndex('sources_url_unique').on(table.url)],
);

export type ArticleRow = typeof articles.$inferSelect;
export type NewArticleRow = typeof articles.$inferInsert;
export type CrawlStateRow = typeof crawlState.$inferSelect;
export type CrawlStatus = CrawlStateRow['status'];
export type ArticleVersionRow = typeof articleVersions.$inferSelect;
export type SourceRow = typeof sources.$inferSelect;
export type NewSourceRow = typeof sources.$inferInsert;
export type SourceKind = SourceRow['kind'];
export type SourceRunStatus = NonNullable<SourceRow['lastStatus']>;
