-- Custom SQL migration file, put your code below! --
-- Indexes on the expressions `ingest query` and `export` sort and filter by (their one copy is
-- db/article-expressions.ts; a query uses an expression index only for the very same
-- expression): newest first over all articles, within a site and within a language, and
-- --since/--until ranges, each read in index order instead of sorting the table. drizzle-kit
-- splits an index expression at its commas, so this one migration is written by hand.
CREATE INDEX `articles_publication_instant_idx` ON `articles` (coalesce(published_at_utc, case when length(published_at) = 10 then published_at || 'T00:00:00Z' else substr(published_at, 1, 19) || 'Z' end));
--> statement-breakpoint
CREATE INDEX `articles_site_publication_instant_idx` ON `articles` (`site`, coalesce(published_at_utc, case when length(published_at) = 10 then published_at || 'T00:00:00Z' else substr(published_at, 1, 19) || 'Z' end));
--> statement-breakpoint
CREATE INDEX `articles_language_publication_instant_idx` ON `articles` (lower(substr(language, 1, instr(language || '-', '-') - 1)), coalesce(published_at_utc, case when length(published_at) = 10 then published_at || 'T00:00:00Z' else substr(published_at, 1, 19) || 'Z' end));
