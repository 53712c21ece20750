CREATE TABLE `articles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_key` text NOT NULL,
	`url` text,
	`canonical_url` text,
	`site` text,
	`title` text,
	`authors` text DEFAULT '[]' NOT NULL,
	`description` text,
	`published_at` text,
	`published_precision` text,
	`published_at_utc` text,
	`published_at_raw` text,
	`modified_at` text,
	`retrieved_at` text,
	`story_code` text,
	`credit` text,
	`language` text,
	`text` text NOT NULL,
	`word_count` integer NOT NULL,
	`content_hash` text NOT NULL,
	`extractor` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `articles_article_key_unique` ON `articles` (`article_key`);--> statement-breakpoint
CREATE INDEX `articles_site_published_idx` ON `articles` (`site`,`published_at_utc`);--> statement-breakpoint
CREATE INDEX `articles_published_idx` ON `articles` (`published_at_utc`);--> statement-breakpoint
CREATE INDEX `articles_story_code_idx` ON `articles` (`story_code`);--> statement-breakpoint
CREATE TABLE `crawl_state` (
	`url` text PRIMARY KEY NOT NULL,
	`site` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`http_status` integer,
	`last_error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`final_url` text,
	`etag` text,
	`last_modified` text,
	`content_hash` text,
	`article_id` integer,
	`fetch_ms` integer,
	`fetched_at` text,
	`next_fetch_at` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `crawl_state_status_idx` ON `crawl_state` (`status`,`reason`);--> statement-breakpoint
CREATE INDEX `crawl_state_updated_idx` ON `crawl_state` (`updated_at`);