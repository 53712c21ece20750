/**
 * A plain read-only connection to the database file, for the streaming reads of `ingest query`,
 * `export` and `failed`: raw SQL over better-sqlite3 with no ORM loaded. Loading drizzle-orm
 * costs about 200 MB of RSS and seconds of start-up, more than a whole export needs.
 * Writers and migrations still go through db/client.ts's openDatabase().
 */
import Database from 'better-sqlite3';
import type { Db } from '../../db/client.ts';

export type SqliteReader = Database.Database;

/** Same wait for a writer's lock as db/client.ts: the store worker holds it for milliseconds. */
const BUSY_TIMEOUT_MS = 5_000;

export function openSqliteReader(path: string): SqliteReader {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return sqlite;
}

/** The better-sqlite3 connection under a drizzle database, or the reader itself. */
export function sqliteOf(db: Db | SqliteReader): SqliteReader {
  return '$client' in db ? db.$client : db;
}
