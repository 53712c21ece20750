/**
 * Migrations when several processes open a new database at once (two workers started together
 * on a fresh DATABASE_PATH), and compatibility with databases migrated by drizzle's own migrator.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, readCommittedMigrations } from '../../db/apply-migrations.ts';
import { closeDatabase, openDatabase } from '../../db/client.ts';

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../db/migrations', import.meta.url));
const CHILD = fileURLToPath(new URL('../helpers/open-database-at.ts', import.meta.url));
/** Enough openers that, with drizzle's check-then-lock migrator, some always collide. */
const OPENERS = 6;
/** Time for every child to load tsx and the modules before the gate opens. */
const GATE_DELAY_MS = 4_000;

const dir = mkdtempSync(join(tmpdir(), 'ingest-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openAt(path: string, at: number): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, String(at)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function appliedHashes(path: string): string[] {
  const sqlite = new Database(path, { readonly: true });
  try {
    return (sqlite.prepare('SELECT hash FROM __drizzle_migrations ORDER BY created_at').all() as { hash: string }[]).map((row) => row.hash);
  } finally {
    sqlite.close();
  }
}

describe('migrations', () => {
  const committed = readCommittedMigrations(MIGRATIONS_FOLDER);

  it('lets processes that open one new database at the same moment all start, applying each migration once', async () => {
    const path = join(dir, 'race.db');
    const at = Date.now() + GATE_DELAY_MS;
    const results = await Promise.all(Array.from({ length: OPENERS }, () => openAt(path, at)));
    expect(results.map((result) => result.code), results.map((result) => result.stderr).join('\n')).toEqual(Array(OPENERS).fill(0));
    expect(appliedHashes(path)).toEqual(committed.map((migration) => migration.hash));
    const db = openDatabase(path);
    try {
      expect(db.$client.prepare(`SELECT count(*) AS n FROM articles`).get()).toEqual({ n: 0 });
    } finally {
      closeDatabase(db);
    }
  }, 30_000);

  it('applies nothing twice: a second opener of a migrated file finds nothing pending', () => {
    const path = join(dir, 'twice.db');
    const first = new Database(path);
    const second = new Database(path);
    try {
      expect(applyMigrations(first, committed).applied).toBe(committed.length);
      expect(applyMigrations(second, committed).applied).toBe(0);
      expect(appliedHashes(path)).toHaveLength(committed.length);
    } finally {
      first.close();
      second.close();
    }
  });

  it("shares drizzle's bookkeeping: each migrator finds nothing pending on a file the other migrated", () => {
    const byDrizzle = new Database(join(dir, 'by-drizzle.db'));
    const byOurs = new Database(join(dir, 'by-ours.db'));
    try {
      migrate(drizzle({ client: byDrizzle }), { migrationsFolder: MIGRATIONS_FOLDER });
      expect(applyMigrations(byDrizzle, committed).applied).toBe(0);
      expect(applyMigrations(byOurs, committed).applied).toBe(committed.length);
      // drizzle would fail on `CREATE TABLE articles` if it did not see our rows.
      expect(() => migrate(drizzle({ client: byOurs }), { migrationsFolder: MIGRATIONS_FOLDER })).not.toThrow();
      for (const sqlite of [byDrizzle, byOurs]) {
        expect(sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({ n: committed.length });
      }
    } finally {
      byDrizzle.close();
      byOurs.close();
    }
  });

  it('rolls back a migration that fails, leaving the database as it was', () => {
    const path = join(dir, 'broken.db');
    const sqlite = new Database(path);
    try {
      const broken = [...committed, { ...committed.at(-1)!, folderMillis: committed.at(-1)!.folderMillis + 1, hash: 'broken', sql: ['CREATE TABLE half_done (id integer)', 'THIS IS NOT SQL'] }];
      expect(() => applyMigrations(sqlite, broken)).toThrow();
      expect(sqlite.inTransaction).toBe(false);
      expect(sqlite.prepare(`SELECT name FROM sqlite_master WHERE name IN ('articles', 'half_done')`).all()).toEqual([]);
      expect(applyMigrations(sqlite, committed).applied).toBe(committed.length);
    } finally {
      sqlite.close();
    }
  });
});
