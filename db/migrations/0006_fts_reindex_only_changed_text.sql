-- Custom SQL migration file, put your code below! --
-- The full-text index is rewritten on an update only when the title or the text really changed.
-- `AFTER UPDATE OF title, text` fires whenever the UPDATE names those columns, and the store's
-- update names every column: a refresh that changed only metadata (a modified date, the address
-- it came from) deleted and re-tokenized the whole article. Measured on 5,000 articles updated
-- with only their modified date changed: 0.70-1.06 CPU ms per article before, 0.16-0.20 after.
-- `IS NOT` is SQLite's null-safe inequality (a title set to or from null is a change).
DROP TRIGGER `articles_fts_after_update`;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_after_update` AFTER UPDATE OF `title`, `text` ON `articles`
WHEN old.`title` IS NOT new.`title` OR old.`text` IS NOT new.`text` BEGIN
	INSERT INTO `articles_fts` (`articles_fts`, `rowid`, `title`, `text`) VALUES ('delete', old.`id`, old.`title`, old.`text`);
	INSERT INTO `articles_fts` (`rowid`, `title`, `text`) VALUES (new.`id`, new.`title`, new.`text`);
END;
