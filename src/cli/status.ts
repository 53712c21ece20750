import { existsSync } from 'node:fs';
import { defineCommand } from 'citty';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { openQueues } from '../queue/queues.ts';
import { JOB_STATES, readDatabaseStatus, readQueueCounts, readStoreStatus, type StatusReport } from '../queue/status-report.ts';
import { connectCommandRedis, loadConfig, plural } from './runtime.ts';

export default defineCommand({
  meta: { name: 'status', description: 'Queue counts, throughput, outcomes by reason, recent failures and database totals.' },
  args: {
    format: { type: 'enum', options: ['table', 'json'], default: 'table', description: 'Output format' },
  },
  async run({ args }) {
    const config = loadConfig();
    const report: StatusReport = { queues: {}, store: { backlog: 0, health: null }, database: null };
    const redis = await connectCommandRedis(config);
    try {
      const queues = openQueues(config, redis);
      try {
        report.queues = await readQueueCounts(queues);
        report.store = await readStoreStatus(report.queues, queues, redis, config);
      } finally {
        await queues.close();
      }
    } finally {
      redis.disconnect();
    }
    if (existsSync(config.DATABASE_PATH)) {
      const db = openDatabase(config.DATABASE_PATH, { readonly: true });
      try {
        report.database = readDatabaseStatus(db, config.DATABASE_PATH, new Date());
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
  lines.push(...renderStore(report.store));
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

/** "store waiting: 565 results, since …, last error SQLITE_FULL: …" while the database refuses writes. */
function renderStore(store: StatusReport['store']): string[] {
  const health = store.health;
  if (health?.state === 'waiting') {
    return [
      '',
      `Store waiting: ${store.backlog} results kept in the queue; the database refuses writes since ${health.since} (${health.failedAttempts} failed tries)`,
      `  last error ${health.lastErrorAt ?? ''}  ${health.lastError ?? 'unknown'}`,
    ];
  }
  const lines = [`  store backlog ${store.backlog} results waiting to be stored`];
  if (health?.lastError) lines.push(`  last store error ${health.lastErrorAt ?? ''}  ${health.lastError} (recovered ${health.since})`);
  return lines;
}
