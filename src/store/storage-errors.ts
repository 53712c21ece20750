/**
 * Telling "the database cannot take writes right now" (disk full, I/O error, locked, read-only,
 * file gone) from an error about the data itself. The first kind passes when an operator acts
 * (frees space, remounts, stops the other writer): a store job waits for it instead of failing.
 */

/**
 * SQLite result codes (and their extended forms, e.g. SQLITE_IOERR_WRITE) of a database that
 * refuses writes for reasons outside the data: https://sqlite.org/rescode.html.
 */
const UNAVAILABLE_SQLITE_CODES = [
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
  'SQLITE_PROTOCOL',
  'SQLITE_NOLFS',
  'SQLITE_NOMEM',
  'SQLITE_PERM',
] as const;

/** The same conditions as operating-system errors (a folder or file that cannot be written). */
const UNAVAILABLE_SYSTEM_CODES = new Set(['ENOSPC', 'EROFS', 'EIO', 'EDQUOT', 'EACCES', 'EPERM', 'EBUSY']);

/** How deep a chain of `cause`s is followed (drizzle wraps driver errors in its own). */
const MAX_CAUSE_DEPTH = 5;

/** The driver's error code of `error` or of an error it wraps, or null. */
export function storageErrorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export function isStorageUnavailable(error: unknown): boolean {
  const code = storageErrorCode(error);
  if (code === null) return false;
  if (UNAVAILABLE_SYSTEM_CODES.has(code)) return true;
  return UNAVAILABLE_SQLITE_CODES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`));
}

/** The innermost message (the driver's, not drizzle's "Failed query: …" with the whole SQL). */
export function storageErrorMessage(error: unknown): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth += 1) {
    message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}
