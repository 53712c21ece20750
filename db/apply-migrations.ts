/**
 * Applying the committed migrations, safe when several processes open a new database at once.
 *
 * drizzle's better-sqlite3 migrator reads the last applied migration before it opens its
 * (deferred) transaction, so two workers started together on a fresh DATABASE_PATH both see
 * "nothing applied", both run `CREATE TABLE articles`, and the second one dies with "table
 * `articles` already exists". Here the decision is taken again under SQLite's write lock
 * (`BEGIN IMMEDIATE`): the second process waits for the first one's commit (busy_timeout), then
 * finds nothing pending. The bookkeeping table is drizzle's own (`__drizzle_migrations`: hash,
 * created_at = the migration's folderMillis), so databases migrated by either stay compatible,
 * and drizzle-kit keeps working on them.
 */
import type Database from 'better-sqlite3';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';

/** drizzle's default bookkeeping table; the same name keeps older databases' history. */
const MIGRATIONS_TABLE = '__drizzle_migrations';

export interface MigrationOutcome {
  /** How many migrations this call applied (0 when another process had applied them). */
  applied: number;
}

export function readCommittedMigrations(migrationsFolder: string): MigrationMeta[] {
  return readMigrationFiles({ migrationsFolder });
}

/** created_at of the newest applied migration, or null on a database never migrated. */
function lastAppliedMillis(sqlite: Database.Database): number | null {
  const table = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(MIGRATIONS_TABLE);
  if (table === undefined) return null;
  const row = sqlite.prepare(`SELECT created_at FROM "${MIGRATIONS_TABLE}" ORDER BY created_at DESC LIMIT 1`).get() as
    | { created_at: number | string | null }
    | undefined;
  return row === undefined || row.created_at === null ? null : Number(row.created_at);
}

function pending(migrations: readonly MigrationMeta[], last: number | null): MigrationMeta[] {
  return last === null ? [...migrations] : migrations.filter((migration) => migration.folderMillis > last);
}

/**
 * Applies the migrations not yet recorded, all in one transaction: either the database ends at
 * the newest schema or it is left as it was. A database already up to date is checked without
 * taking the write lock, so opening one beside a busy store worker costs nothing.
 */
export function applyMigrations(sqlite: Database.Database, migrations: readonly MigrationMeta[]): MigrationOutcome {
  if (pending(migrations, lastAppliedMillis(sqlite)).length === 0) return { applied: 0 };
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    sqlite.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
    // Read again under the lock: another process may have migrated since the check above.
    const todo = pending(migrations, lastAppliedMillis(sqlite));
    const record = sqlite.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" ("hash", "created_at") VALUES (?, ?)`);
    for (const migration of todo) {
      for (const statement of migration.sql) if (statement.trim() !== '') sqlite.exec(statement);
      record.run(migration.hash, migration.folderMillis);
    }
    sqlite.exec('COMMIT');
    return { applied: todo.length };
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw error;
  }
}
