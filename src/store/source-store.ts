/**
 * The sources table: the truth about which feeds, sitemaps and section pages are polled, how
 * often, and how their last run went. The CLI adds, removes, pauses and resumes; the source
 * job records each run. BullMQ's schedulers are synced from here (queue/source-schedules.ts).
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sources, type SourceKind, type SourceRow, type SourceRunStatus } from '../../db/schema.ts';

export interface NewSource {
  url: string;
  kind: SourceKind;
  everyMs: number | null;
  cron: string | null;
  adaptive: boolean;
  /** The interval the schedule starts at (null for cron). */
  intervalMs: number | null;
  pattern: string | null;
}

/** Add a source; adding a URL again replaces its schedule and pattern (and keeps its history). */
export function addSource(db: Db, source: NewSource, now: Date): { row: SourceRow; created: boolean } {
  const stamp = now.toISOString();
  const existing = findSourceByUrl(db, source.url);
  if (existing) {
    const row = db
      .update(sources)
      .set({ ...source, updatedAt: stamp })
      .where(eq(sources.id, existing.id))
      .returning()
      .get();
    return { row, created: false };
  }
  const row = db
    .insert(sources)
    .values({ ...source, paused: false, createdAt: stamp, updatedAt: stamp })
    .returning()
    .get();
  return { row, created: true };
}

export function findSourceByUrl(db: Db, url: string): SourceRow | undefined {
  return db.select().from(sources).where(eq(sources.url, url)).get();
}

export function findSourceById(db: Db, id: number): SourceRow | undefined {
  return db.select().from(sources).where(eq(sources.id, id)).get();
}

export function listSources(db: Db): SourceRow[] {
  return db.select().from(sources).orderBy(asc(sources.id)).all();
}

export function removeSource(db: Db, id: number): void {
  db.delete(sources).where(eq(sources.id, id)).run();
}

export function setSourcePaused(db: Db, id: number, paused: boolean, now: Date): void {
  db.update(sources).set({ paused, updatedAt: now.toISOString() }).where(eq(sources.id, id)).run();
}

/** What one run of a source came to. */
export interface SourceRunRecord {
  status: SourceRunStatus;
  reason: string | null;
  error: string | null;
  httpStatus: number | null;
  /** New validators and body hash; null keeps the previous ones (a failed run brings none). */
  etag: string | null;
  lastModified: string | null;
  contentHash: string | null;
  linksFound: number | null;
  linksNew: number | null;
  bytes: number;
  /** The interval after this run (adaptive sources change it), or null to keep it. */
  intervalMs: number | null;
  nextRunAt: string | null;
}

export function recordSourceRun(db: Db, id: number, run: SourceRunRecord, now: Date): void {
  const stamp = now.toISOString();
  db.update(sources)
    .set({
      lastRunAt: stamp,
      lastStatus: run.status,
      lastReason: run.reason,
      lastError: run.error,
      lastHttpStatus: run.httpStatus,
      etag: sql`coalesce(${run.etag}, ${sources.etag})`,
      lastModified: sql`coalesce(${run.lastModified}, ${sources.lastModified})`,
      contentHash: sql`coalesce(${run.contentHash}, ${sources.contentHash})`,
      // A run that read nothing (304, failure) leaves the last counts as they were.
      linksFound: sql`coalesce(${run.linksFound}, ${sources.linksFound})`,
      linksNew: sql`coalesce(${run.linksNew}, ${sources.linksNew})`,
      polls: sql`${sources.polls} + 1`,
      notModifiedPolls: sql`${sources.notModifiedPolls} + ${run.status === 'not-modified' ? 1 : 0}`,
      bytesDownloaded: sql`${sources.bytesDownloaded} + ${run.bytes}`,
      intervalMs: sql`coalesce(${run.intervalMs}, ${sources.intervalMs})`,
      nextRunAt: run.nextRunAt,
      updatedAt: stamp,
    })
    .where(eq(sources.id, id))
    .run();
}
