-- Custom SQL migration file, put your code below! --
-- Full-text search over articles (`ingest query --search`): an external-content FTS5 index on
-- title and text, kept in step with the articles table by triggers. drizzle's schema cannot
-- declare virtual tables, so this one migration is written by hand.
CREATE VIRTUAL TABLE `articles_fts` USING fts5(
	`title`,
	`text`,
	content='articles',
	content_rowid='id',
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `articles_fts_after_insert` AFTER INSERT ON `articles` BEGIN
	INSERT INTO `articles_fts` (`rowid`, `title`, `text`) VALUES (new.`id`, new.`title`, new.`text`);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_after_delete` AFTER DELETE ON `articles` BEGIN
	INSERT INTO `articles_fts` (`articles_fts`, `rowid`, `title`, `text`) VALUES ('delete', old.`id`, old.`title`, old.`text`);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_after_update` AFTER UPDATE OF `title`, `text` ON `articles` BEGIN
	INSERT INTO `articles_fts` (`articles_fts`, `rowid`, `title`, `text`) VALUES ('delete', old.`id`, old.`title`, old.`text`);
	INSERT INTO `articles_fts` (`rowid`, `title`, `text`) VALUES (new.`id`, new.`title`, new.`text`);
END;
--> statement-breakpoint
INSERT INTO `articles_fts` (`articles_fts`) VALUES ('rebuild');
