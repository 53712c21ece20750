/**
 * Opening the database: create the folder, set the pragmas, apply pending migrations.
 * Every process that touches the SQLite file goes through openDatabase().
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { applyMigrations, readCommittedMigrations } from './apply-migrations.ts';
import * as schema from './schema.ts';

/**
 * Committed migrations: beside this file when it runs from source (tsx), two levels up from
 * dist/db/client.js when it runs compiled (tsc does not copy .sql files).
 */
const HERE = dirname(fileURLToPath(import.meta.url));
const MIGRATIONS_FOLDER = existsSync(resolve(HERE, 'migrations'))
  ? resolve(HERE, 'migrations')
  : resolve(HERE, '..', '..', 'db', 'migrations');

/**
 * How long a statement waits for another connection's write lock before failing with
 * SQLITE_BUSY. The store worker holds the lock for milliseconds; `ingest import` or a reader
 * checkpointing may briefly overlap with it.
 */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Pause between attempts to switch a new file to WAL while another process holds it. Short
 * against the few milliseconds the other opener needs for its own switch and migrations.
 */
const JOURNAL_MODE_RETRY_MS = 10;

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDatabaseOptions {
  /** Open read-only and skip migrations (for `ingest query` on a file another process owns). */
  readonly?: boolean;
}

/**
 * DATABASE_PATH cannot be used (a folder, a path under a file, a read-only file system, a
 * corrupt file): a fatal error, exit 1. The message names the path and the cause.
 */
export class DatabaseUnusableError extends Error {
  override readonly name = 'DatabaseUnusableError';
  readonly exitCode = 1;
  constructor(path: string, cause: unknown) {
    const code = (cause as { code?: unknown })?.code;
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`cannot use DATABASE_PATH=${path}: ${typeof code === 'string' && !detail.includes(code) ? `${code}: ` : ''}${detail}`, { cause });
  }
}

export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  let sqlite: Database.Database | null = null;
  try {
    if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(resolve(path)), { recursive: true });
    sqlite = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    return configure(sqlite, options);
  } catch (error) {
    if (sqlite?.open) sqlite.close();
    throw new DatabaseUnusableError(path, error);
  }
}

function configure(sqlite: Database.Database, options: OpenDatabaseOptions): Db {
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  if (!options.readonly) {
    // WAL lets readers (`ingest query`, other tools) work while the store worker writes.
    useWriteAheadLog(sqlite);
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
  }
  // Several workers may open a new file at the same moment: applyMigrations decides under the write lock.
  if (!options.readonly) applyMigrations(sqlite, readCommittedMigrations(MIGRATIONS_FOLDER));
  const db = drizzle({ client: sqlite, schema });
  return db as Db;
}

/**
 * `PRAGMA journal_mode = WAL` needs the file to itself, and SQLite answers SQLITE_BUSY at once,
 * without the busy handler, when another connection has it open in a transaction: two workers
 * starting together on a new DATABASE_PATH hit that. WAL is a property of the file, so only the
 * first switch does work; a busy answer is retried until BUSY_TIMEOUT_MS, like any other lock.
 */
function useWriteAheadLog(sqlite: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error;
      // A synchronous pause: opening is synchronous, and nothing else runs in this process yet.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, JOURNAL_MODE_RETRY_MS);
    }
  }
}

export function closeDatabase(db: Db): void {
  if (db.$client.open) db.$client.close();
}
