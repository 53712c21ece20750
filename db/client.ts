/**
 * Opening the database: create the folder, set the pragmas, apply pending migrations.
 * Every process that touches the SQLite file goes through openDatabase().
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

/** Committed migrations; resolved from this file so it works from src (tsx) and from dist. */
const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'db', 'migrations');
const MIGRATIONS_FOLDER_FROM_SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * How long a statement waits for another connection's write lock before failing with
 * SQLITE_BUSY. The store worker holds the lock for milliseconds; `ingest import` or a reader
 * checkpointing may briefly overlap with it.
 */
const BUSY_TIMEOUT_MS = 5_000;

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDatabaseOptions {
  /** Open read-only and skip migrations (for `ingest query` on a file another process owns). */
  readonly?: boolean;
}

export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  if (!options.readonly) {
    // WAL lets readers (`ingest query`, other tools) work while the store worker writes.
    sqlite.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
  }
  const db = drizzle({ client: sqlite, schema });
  if (!options.readonly) migrate(db, { migrationsFolder: migrationsFolder() });
  return db as Db;
}

export function closeDatabase(db: Db): void {
  if (db.$client.open) db.$client.close();
}

function migrationsFolder(): string {
  // From source (db/client.ts) the folder is beside this file; from dist/db/client.js it is ../../db.
  return import.meta.url.includes('/dist/') ? MIGRATIONS_FOLDER : MIGRATIONS_FOLDER_FROM_SOURCE;
}
