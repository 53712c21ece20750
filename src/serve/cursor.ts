/**
 * Opaque page cursors: the last row's position in the list order, with a fingerprint of the
 * filters it was made for (so a cursor cannot silently continue a different query). Pure.
 */
import { createHash } from 'node:crypto';
import { ApiError } from './api-error.ts';

/** Bytes of the filter digest kept in a cursor: enough to tell queries apart, short in a URL. */
const FINGERPRINT_BYTES = 6;

export function filterFingerprint(filters: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.entries(filters).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(canonical).digest('base64url').slice(0, Math.ceil((FINGERPRINT_BYTES * 4) / 3));
}

export function encodeCursor(position: readonly (string | number | null)[], fingerprint: string): string {
  return Buffer.from(JSON.stringify({ p: position, f: fingerprint })).toString('base64url');
}

/** The position in `cursor`, checked against the shape `isPosition` accepts and the filters. */
export function decodeCursor<T extends readonly unknown[]>(
  cursor: string,
  fingerprint: string,
  isPosition: (value: readonly unknown[]) => value is T,
): T {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ApiError(400, 'bad-cursor', 'cursor is not one this server made: use the "next" link of a previous page');
  }
  const { p, f } = (decoded ?? {}) as { p?: unknown; f?: unknown };
  if (!Array.isArray(p) || !isPosition(p)) {
    throw new ApiError(400, 'bad-cursor', 'cursor is not one this server made: use the "next" link of a previous page');
  }
  if (f !== fingerprint) {
    throw new ApiError(400, 'bad-cursor', 'cursor belongs to a query with other filters: keep the filters of the page it came from');
  }
  return p;
}
