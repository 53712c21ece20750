import { existsSync } from 'node:fs';
import { defineCommand } from 'citty';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { openQueues } from '../queue/queues.ts';
import { readDatabaseTotals, type DatabaseTotals } from '../store/database-totals.ts';
import { connectCommandRedis, loadConfig, plural } from './runtime.ts';

const JOB_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'] as const;

interface StatusReport {
  queues: Record<string, Record<string, number>>;
  /** Null when the database file is not on this machine (a fetch-only host). */
  database: (DatabaseTotals & { path: string }) | null;
}

export default defineCommand({
  meta: { name: 'status', description: 'Queue counts, throughput, outcomes by reason, recent failures and database totals.' },
  args: {
    format: { type: 'enum', options: ['table', 'json'], default: 'table', description: 'Output format' },
  },
  async run({ args }) {
    const config = loadConfig();
    const report: StatusReport = { queues: {}, database: null };
    const redis = await connectCommandRedis(config);
    try {
      const queues = openQueues(config, redis);
      try {
        for (const queue of [queues.fetch, queues.store]) {
          report.queues[queue.name] = await queue.getJobCounts(...JOB_STATES);
        }
      } finally {
        await queues.close();
      }
    } finally {
      redis.disconnect();
    }
    if (existsSync(config.DATABASE_PATH)) {
      const db = openDatabase(config.DATABASE_PATH, { readonly: true });
      try {
        report.database = { path: config.DATABASE_PATH, ...readDatabaseTotals(db, new Date()) };
      } finally {
        closeDatabase(db);
      }
    }
    process.stdout.write(args.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report));
  },
});

function renderStatus(report: StatusReport): string {
  const lines: string[] = ['Queues'];
  for (const [name, counts] of Object.entries(report.queues)) {
    lines.push(`  ${name.padEnd(6)} ${JOB_STATES.map((state) => `${state} ${counts[state] ?? 0}`).join(', ')}`);
  }
  const db = report.database;
  if (!db) {
    lines.push('', 'Database: not on this machine (DATABASE_PATH does not exist)');
    return `${lines.join('\n')}\n`;
  }
  lines.push('', `Database ${db.path}`, `  articles ${db.articles} from ${db.sites} sites`);
  const byStatus = Object.entries(db.urlsByStatus).map(([status, n]) => `${status} ${n}`).join(', ');
  lines.push(`  URLs     ${byStatus || 'none yet'}`);
  for (const window of db.throughput) {
    lines.push(`  last ${window.windowMinutes} min: ${window.urlsPerMinute} URLs/min, ${window.storedPerMinute} stored/min`);
  }
  if (db.failuresByReason.length > 0) {
    lines.push('', 'Failures by reason');
    for (const { reason, count } of db.failuresByReason) lines.push(`  ${reason.padEnd(20)} ${count}`);
    lines.push('', 'Recent failures');
    for (const failure of db.recentFailures) {
      lines.push(`  ${failure.at}  ${failure.reason ?? 'unknown'}  ${failure.url}  (${failure.error ?? ''}, ${plural(failure.attempts, 'attempt')})`);
    }
  }
  return `${lines.join('\n')}\n`;
}
