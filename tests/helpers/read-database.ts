import Database from 'better-sqlite3';

/**
 * Rows of a query on a database another process writes, or [] while the file does not exist
 * yet (the worker creates it on start). Opens read-only and closes at once, so the writer is
 * never blocked.
 */
export function readRows<T>(path: string, query: string, parameters: readonly unknown[] = []): T[] {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch {
    return [];
  }
  try {
    return db.prepare(query).all(...parameters) as T[];
  } catch {
    return [];
  } finally {
    db.close();
  }
}

export function countArticles(path: string): number {
  return readRows<{ n: number }>(path, 'select count(*) as n from articles')[0]?.n ?? 0;
}
