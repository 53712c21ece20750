import { defineCommand } from 'citty';
import { UsageError } from '../errors.ts';
import { iterateFailedUrls } from '../store/failed-urls.ts';
import { enqueueFromSources, printEnqueueReport, type InputSource } from './enqueue.ts';
import { loadConfig, openReadOnlyDatabase } from './runtime.ts';

export default defineCommand({
  meta: {
    name: 'retry',
    description:
      'Re-enqueue failed URLs: those given, those failed for one reason (--reason), or every failed URL (--all). A URL still queued is not added twice.',
  },
  args: {
    urls: { type: 'positional', required: false, description: 'URLs to fetch again' },
    reason: { type: 'string', description: 'Every failed URL with this reason (see `ingest failed`)' },
    site: { type: 'string', description: 'With --reason or --all: only this site' },
    all: { type: 'boolean', default: false, description: 'Every failed URL' },
    format: { type: 'enum', options: ['text', 'json'], default: 'text', description: 'Report format' },
  },
  async run({ args }) {
    const urls = args._;
    const fromDatabase = args.reason !== undefined || args.all;
    if (urls.length > 0 && fromDatabase) throw new UsageError('give URLs, or --reason/--all, not both');
    if (urls.length === 0 && !fromDatabase) throw new UsageError('nothing to retry: give URLs, --reason R (see `ingest failed`), or --all');
    if (args.site !== undefined && !fromDatabase) throw new UsageError('--site goes with --reason or --all');
    const config = loadConfig();
    let sources: InputSource[];
    if (fromDatabase) {
      const db = openReadOnlyDatabase(config);
      try {
        const filters = { ...(args.reason ? { reason: args.reason } : {}), ...(args.site ? { site: args.site } : {}) };
        // URLs only (short strings): the list is read before Redis is touched, so the read snapshot is short.
        sources = [...iterateFailedUrls(db, filters)].map((row) => ({ kind: 'url', url: row.url }));
      } finally {
        db.close();
      }
      if (sources.length === 0) {
        process.stdout.write('no failed URLs match: nothing to retry\n');
        return;
      }
    } else {
      sources = urls.map((url) => ({ kind: 'url', url }));
    }
    const { report } = await enqueueFromSources(config, sources, { force: true });
    printEnqueueReport(report, args.format === 'json' ? 'json' : 'text');
    if (report.invalidCount > 0) process.exitCode = 1;
  },
});
