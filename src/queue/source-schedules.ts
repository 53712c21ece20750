/**
 * Syncing BullMQ job schedulers from the sources table (the truth), idempotently: one
 * scheduler per active source, id `source-<id>`; a scheduler that already says what the table
 * says is left alone (its next run is not moved), a paused or removed source's scheduler is
 * removed, a changed one is upserted. Any number of processes may sync at any time, a restart
 * or a crash loop syncs again, and the outcome is the same set of schedulers: never a duplicate
 * (a scheduler id is unique in Redis), never a lost one (every active row has one after a sync).
 */
import type { Queue } from 'bullmq';
import type { SourceRow } from '../../db/schema.ts';
import type { Config } from '../config.ts';
import { sourceJobOptions, type SourceJobData } from './source-queue.ts';

const SCHEDULER_PREFIX = 'source-';

export function schedulerIdFor(sourceId: number): string {
  return `${SCHEDULER_PREFIX}${sourceId}`;
}

type Repeat = { every: number } | { pattern: string };

/** The repeat a source's scheduler should have, or null for a paused source. */
export function repeatFor(source: Pick<SourceRow, 'paused' | 'cron' | 'intervalMs' | 'everyMs'>): Repeat | null {
  if (source.paused) return null;
  if (source.cron) return { pattern: source.cron };
  const every = source.intervalMs ?? source.everyMs;
  return every ? { every } : null;
}

export interface SyncReport {
  created: number;
  updated: number;
  removed: number;
  unchanged: number;
}

/** Schedulers read per page when listing them all. */
const LIST_PAGE = 1_000;

export async function syncSourceSchedules(
  queue: Queue<SourceJobData>,
  rows: readonly SourceRow[],
  config: Pick<Config, 'RETRY_BASE_DELAY_MS'>,
): Promise<SyncReport> {
  const report: SyncReport = { created: 0, updated: 0, removed: 0, unchanged: 0 };
  const existing = new Map<string, Awaited<ReturnType<Queue['getJobScheduler']>>>();
  for (let start = 0; ; start += LIST_PAGE) {
    const page = await queue.getJobSchedulers(start, start + LIST_PAGE - 1, true);
    for (const scheduler of page) {
      const id = scheduler.id ?? scheduler.key;
      if (id.startsWith(SCHEDULER_PREFIX)) existing.set(id, scheduler);
    }
    if (page.length < LIST_PAGE) break;
  }
  const wanted = new Set<string>();
  for (const row of rows) {
    const repeat = repeatFor(row);
    if (!repeat) continue;
    const id = schedulerIdFor(row.id);
    wanted.add(id);
    const current = existing.get(id);
    if (current && sameSchedule(current, repeat, row)) {
      report.unchanged += 1;
      continue;
    }
    await upsertSourceScheduler(queue, row, repeat, config);
    if (current) report.updated += 1;
    else report.created += 1;
  }
  for (const id of existing.keys()) {
    if (wanted.has(id)) continue;
    await queue.removeJobScheduler(id);
    report.removed += 1;
  }
  return report;
}

/**
 * Create or replace one source's scheduler. BullMQ runs an interval scheduler at once when its
 * `every` is new or changed; `firstRunAt` puts that first run later instead (an adaptive
 * interval change after a run must not poll again at once).
 */
export async function upsertSourceScheduler(
  queue: Queue<SourceJobData>,
  row: Pick<SourceRow, 'id' | 'url'>,
  repeat: Repeat,
  config: Pick<Config, 'RETRY_BASE_DELAY_MS'>,
  firstRunAt?: number,
): Promise<void> {
  const { attempts, backoff, removeOnComplete, removeOnFail } = sourceJobOptions(config);
  const when = firstRunAt !== undefined && 'every' in repeat ? { startDate: firstRunAt } : {};
  await queue.upsertJobScheduler(schedulerIdFor(row.id), { ...repeat, ...when }, {
    name: 'source',
    data: { sourceId: row.id, url: row.url },
    opts: { attempts, backoff, removeOnComplete, removeOnFail },
  });
}

function sameSchedule(current: NonNullable<Awaited<ReturnType<Queue['getJobScheduler']>>>, repeat: Repeat, row: Pick<SourceRow, 'id' | 'url'>): boolean {
  const data = current.template?.data as Partial<SourceJobData> | undefined;
  if (data?.url !== row.url || data?.sourceId !== row.id) return false;
  if ('pattern' in repeat) return current.pattern === repeat.pattern && !current.every;
  return Number(current.every) === repeat.every && !current.pattern;
}

/** When each source's scheduler runs next (epoch ms), by source id, for `ingest source list`. */
export async function nextRunsBySource(queue: Queue<SourceJobData>): Promise<Map<number, number>> {
  const next = new Map<number, number>();
  for (let start = 0; ; start += LIST_PAGE) {
    const page = await queue.getJobSchedulers(start, start + LIST_PAGE - 1, true);
    for (const scheduler of page) {
      const id = scheduler.id ?? scheduler.key;
      if (id.startsWith(SCHEDULER_PREFIX) && scheduler.next) next.set(Number(id.slice(SCHEDULER_PREFIX.length)), Number(scheduler.next));
    }
    if (page.length < LIST_PAGE) break;
  }
  return next;
}
