import { defineCommand } from 'citty';
import { UsageError } from '../errors.ts';
import { enqueueRefetch } from '../queue/enqueue-refresh.ts';
import { recrawlTargets, type RecrawlSelection } from '../store/recrawl-targets.ts';
import { canonicalizeUrl } from '../url/canonicalize.ts';
import { InvalidUrlError } from '../url/errors.ts';
import { loadConfig } from './runtime.ts';
import { withDatabaseAsync, withRedis } from './source-context.ts';

export default defineCommand({
  meta: {
    name: 'recrawl',
    description:
      'Re-fetch stored URLs now, conditionally (If-None-Match / If-Modified-Since): a changed article gets a new version. A URL already queued is not queued again.',
  },
  args: {
    urls: { type: 'positional', required: false, description: 'URLs to re-fetch' },
    site: { type: 'string', description: 'Every stored URL of this site' },
    since: { type: 'string', description: 'Articles published on or after this date (YYYY-MM-DD or ISO instant)' },
    all: { type: 'boolean', default: false, description: 'Every stored URL' },
    format: { type: 'enum', options: ['text', 'json'], default: 'text', description: 'Report format' },
  },
  async run({ args }) {
    const selection = selectionFrom(args._, args);
    const config = loadConfig();
    const report = { enqueued: 0, alreadyQueued: 0, notStored: 0 };
    await withDatabaseAsync(config, (db) =>
      withRedis(config, async ({ redis, queues }) => {
        const now = new Date();
        const seen = new Set<string>();
        for (const page of recrawlTargets(db, selection)) {
          for (const target of page) {
            seen.add(target.url);
            const { url, ...validators } = target;
            const result = await enqueueRefetch(config, redis, queues.fetch, url, validators, now);
            if (result === 'enqueued') report.enqueued += 1;
            else report.alreadyQueued += 1;
          }
        }
        // URLs given that were never fetched: a first fetch, through the same no-duplicate path.
        for (const url of selection.urls ?? []) {
          if (seen.has(url)) continue;
          report.notStored += 1;
          const result = await enqueueRefetch(config, redis, queues.fetch, url, null, now);
          if (result === 'enqueued') report.enqueued += 1;
          else report.alreadyQueued += 1;
        }
      }),
    );
    if (args.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(`enqueued ${report.enqueued}, already queued ${report.alreadyQueued}${report.notStored ? ` (${report.notStored} not fetched before)` : ''}\n`);
  },
});

function selectionFrom(positionals: readonly string[], args: { site?: string | undefined; since?: string | undefined; all?: boolean }): RecrawlSelection {
  const urls = positionals.map((input) => {
    try {
      return canonicalizeUrl(input);
    } catch (error) {
      throw new UsageError(`${JSON.stringify(input)}: ${error instanceof InvalidUrlError ? error.reason : String(error)}`);
    }
  });
  if (args.since !== undefined && Number.isNaN(Date.parse(args.since))) {
    throw new UsageError(`--since ${JSON.stringify(args.since)} is not a date: use YYYY-MM-DD or an ISO 8601 instant`);
  }
  const given = [urls.length > 0, args.site !== undefined, args.since !== undefined, args.all === true].filter(Boolean).length;
  if (given === 0) throw new UsageError('say what to re-fetch: URLs, --site S, --since D or --all');
  if (args.all && given > 1) throw new UsageError('--all takes no URLs, --site or --since');
  return {
    ...(urls.length > 0 ? { urls } : {}),
    ...(args.site !== undefined ? { site: args.site } : {}),
    ...(args.since !== undefined ? { since: args.since } : {}),
    all: args.all === true,
  };
}
