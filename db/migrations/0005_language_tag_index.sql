-- Custom SQL migration file, put your code below! --
-- `ingest query --language en-GB` (a tag with a region): the tag lowercased, then the
-- publication instant, so those rows are read in index order and counted in the index alone
-- (through the primary-language index a count read every English row: 5 s at a million
-- articles). Written by hand like 0004: drizzle-kit cannot generate expression indexes.
CREATE INDEX `articles_language_tag_publication_instant_idx` ON `articles` (lower(language), coalesce(published_at_utc, case when length(published_at) = 10 then published_at || 'T00:00:00Z' else substr(published_at, 1, 19) || 'Z' end));
