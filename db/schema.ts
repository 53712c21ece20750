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

export type ArticleRow = typeof articles.$inferSelect;
export type NewArticleRow = typeof articles.$inferInsert;
export type CrawlStateRow = typeof crawlState.$inferSelect;
export type CrawlStatus = CrawlStateRow['status'];
