-- Custom SQL migration file, put your code below! ---- Stable views for SQL consumers (the HTTP API, reports, any SQLite client): their columns are a
-- public contract documented in the README ("SQL views"); the tables behind them may change.
-- Also: every article stored before versions existed gets its version 1. drizzle's schema cannot
-- declare views with these joins, so this one migration is written by hand.
INSERT INTO `article_versions` (`article_id`, `version`, `fetched_at`, `content_hash`, `title`, `text`, `word_count`, `url`, `suspicious`, `note`)
SELECT `id`, 1, coalesce(`retrieved_at`, `updated_at`), `content_hash`, `title`, `text`, `word_count`, `url`, 0, NULL FROM `articles`;
--> statement-breakpoint
CREATE VIEW `articles_v` AS
SELECT
	a.`id` AS `id`,
	a.`url` AS `url`,
	a.`canonical_url` AS `canonical_url`,
	a.`site` AS `site`,
	a.`title` AS `title`,
	a.`authors` AS `authors`,
	a.`description` AS `description`,
	a.`published_at` AS `published_at`,
	a.`published_precision` AS `published_precision`,
	a.`published_at_utc` AS `published_at_utc`,
	a.`published_at_raw` AS `published_at_raw`,
	a.`modified_at` AS `modified_at`,
	a.`retrieved_at` AS `retrieved_at`,
	a.`story_code` AS `story_code`,
	a.`credit` AS `credit`,
	a.`language` AS `language`,
	a.`text` AS `text`,
	a.`word_count` AS `word_count`,
	a.`content_hash` AS `content_hash`,
	a.`extractor` AS `extractor`,
	a.`created_at` AS `stored_at`,
	a.`updated_at` AS `updated_at`,
	(SELECT max(v.`version`) FROM `article_versions` v WHERE v.`article_id` = a.`id` AND v.`suspicious` = 0) AS `version`,
	(SELECT count(*) FROM `article_versions` v WHERE v.`article_id` = a.`id`) AS `version_count`
FROM `articles` a;
--> statement-breakpoint
CREATE VIEW `article_versions_v` AS
SELECT
	v.`article_id` AS `article_id`,
	v.`version` AS `version`,
	v.`fetched_at` AS `fetched_at`,
	v.`content_hash` AS `content_hash`,
	v.`title` AS `title`,
	v.`text` AS `text`,
	v.`word_count` AS `word_count`,
	v.`url` AS `url`,
	v.`suspicious` AS `suspicious`,
	v.`note` AS `note`,
	a.`site` AS `site`
FROM `article_versions` v JOIN `articles` a ON a.`id` = v.`article_id`;
--> statement-breakpoint
CREATE VIEW `sources_v` AS
SELECT
	s.`id` AS `id`,
	s.`url` AS `url`,
	s.`kind` AS `kind`,
	CASE
		WHEN s.`cron` IS NOT NULL THEN 'cron ' || s.`cron`
		WHEN s.`adaptive` = 1 THEN 'adaptive'
		ELSE 'every'
	END AS `schedule`,
	s.`interval_ms` AS `interval_ms`,
	s.`pattern` AS `pattern`,
	s.`paused` AS `paused`,
	s.`last_run_at` AS `last_run_at`,
	s.`last_status` AS `last_status`,
	s.`last_reason` AS `last_reason`,
	s.`last_error` AS `last_error`,
	s.`last_http_status` AS `last_http_status`,
	s.`links_found` AS `links_found`,
	s.`links_new` AS `links_new`,
	s.`next_run_at` AS `next_run_at`,
	s.`polls` AS `polls`,
	s.`not_modified_polls` AS `not_modified_polls`,
	s.`bytes_downloaded` AS `bytes_downloaded`,
	s.`created_at` AS `created_at`,
	s.`updated_at` AS `updated_at`
FROM `sources` s;
