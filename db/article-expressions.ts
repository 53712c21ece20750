/**
 * SQL expressions over the articles table that both an index (db/schema.ts) and the queries
 * (src/store/article-query.ts) use. SQLite uses an expression index only for the very same
 * expression, so there is one copy of each, here, in a module that loads nothing (the readers
 * of `ingest query` and `export` do not load the ORM).
 */

/**
 * The instant an article sorts and filters by: its UTC instant when the offset is known, else
 * the date as published read as UTC (a bare day is its midnight; a local time without offset
 * gets "Z"). Every form is "YYYY-MM-DDTHH:MM:SSZ", so text order is time order.
 */
export const PUBLICATION_INSTANT = `coalesce(published_at_utc, case when length(published_at) = 10 then published_at || 'T00:00:00Z' else substr(published_at, 1, 19) || 'Z' end)`;

/**
 * The language's primary subtag, lowercased: "en" for "en", "en-GB" and "EN-us". `--language en`
 * matches exactly the articles whose primary subtag is "en".
 */
export const PRIMARY_LANGUAGE = `lower(substr(language, 1, instr(language || '-', '-') - 1))`;
