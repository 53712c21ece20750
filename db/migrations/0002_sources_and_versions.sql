CREATE TABLE `article_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` integer NOT NULL,
	`version` integer NOT NULL,
	`fetched_at` text NOT NULL,
	`content_hash` text NOT NULL,
	`title` text,
	`text` text NOT NULL,
	`word_count` integer NOT NULL,
	`url` text,
	`suspicious` integer DEFAULT false NOT NULL,
	`note` text,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `article_versions_article_version_unique` ON `article_versions` (`article_id`,`version`);--> statement-breakpoint
CREATE TABLE `sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`url` text NOT NULL,
	`kind` text NOT NULL,
	`every_ms` integer,
	`cron` text,
	`adaptive` integer NOT NULL,
	`interval_ms` integer,
	`pattern` text,
	`paused` integer DEFAULT false NOT NULL,
	`etag` text,
	`last_modified` text,
	`content_hash` text,
	`last_run_at` text,
	`last_status` text,
	`last_reason` text,
	`last_error` text,
	`last_http_status` integer,
	`links_found` integer,
	`links_new` integer,
	`polls` integer DEFAULT 0 NOT NULL,
	`not_modified_polls` integer DEFAULT 0 NOT NULL,
	`bytes_downloaded` integer DEFAULT 0 NOT NULL,
	`next_run_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sources_url_unique` ON `sources` (`url`);