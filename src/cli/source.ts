/**
 * `ingest source add|list|remove|run|pause|resume|discover`: feeds, sitemaps and section pages
 * polled on a schedule. The sources table in SQLite is the truth; each change is followed by a
 * sync of the BullMQ schedulers (source-context.ts).
 */
import { defineCommand } from 'citty';
import type { SourceKind, SourceRow } from '../../db/schema.ts';
import type { Config } from '../config.ts';
import { formatDuration } from '../discover/duration.ts';
import { announcedFeeds, robotsSitemaps, siteOrigin, USUAL_SOURCE_PATHS } from '../discover/site-discovery.ts';
import { CommandFailedError, UsageError } from '../errors.ts';
import { FetchError } from '../fetch/fetch-errors.ts';
import { fetchSmallText, probeSource, type ProbeOptions } from '../fetch/probe-source.ts';
import { nextRunsBySource } from '../queue/source-schedules.ts';
import { addSource, findSourceByUrl, listSources, removeSource, setSourcePaused, type NewSource } from '../store/source-store.ts';
import { canonicalizeUrl } from '../url/canonicalize.ts';
import { InvalidUrlError } from '../url/errors.ts';
import { formatTable } from './output-format.ts';
import { loadConfig } from './runtime.ts';
import { parseCron, parseEvery, parsePattern, probeOptions, syncAfterChange, withDatabase, withDatabaseAsync, withRedis } from './source-context.ts';

const KINDS: readonly SourceKind[] = ['feed', 'sitemap', 'page'];

/** Largest robots.txt or home page read while discovering. */
const DISCOVERY_MAX_BYTES = 2 * 1024 * 1024;

function canonicalSourceUrl(input: string | undefined): string {
  if (!input) throw new UsageError('a source URL is required');
  try {
    return canonicalizeUrl(input);
  } catch (error) {
    throw new UsageError(`${JSON.stringify(input)}: ${error instanceof InvalidUrlError ? error.reason : String(error)}`);
  }
}

function requireSource(config: Config, url: string): SourceRow {
  const row = withDatabase(config, (db) => findSourceByUrl(db, url));
  if (!row) throw new CommandFailedError(`no source ${url} (see ingest source list)`);
  return row;
}

/** The schedule a new source gets from its flags (README, "Adaptive intervals"). */
export function scheduleFromFlags(
  config: Pick<Config, 'SOURCE_DEFAULT_EVERY' | 'SOURCE_MIN_INTERVAL' | 'SOURCE_MAX_INTERVAL'>,
  flags: { every?: string | undefined; cron?: string | undefined; adaptive?: boolean | undefined },
): Pick<NewSource, 'everyMs' | 'cron' | 'adaptive' | 'intervalMs'> {
  if (flags.every !== undefined && flags.cron !== undefined) throw new UsageError('give --every or --cron, not both');
  if (flags.cron !== undefined) {
    if (flags.adaptive) throw new UsageError('--adaptive applies to intervals, not to --cron');
    return { everyMs: null, cron: parseCron(flags.cron), adaptive: false, intervalMs: null };
  }
  if (flags.every !== undefined) {
    const everyMs = parseEvery(flags.every);
    return { everyMs, cron: null, adaptive: flags.adaptive ?? false, intervalMs: everyMs };
  }
  const start = Math.min(config.SOURCE_MAX_INTERVAL, Math.max(config.SOURCE_MIN_INTERVAL, config.SOURCE_DEFAULT_EVERY));
  return { everyMs: null, cron: null, adaptive: true, intervalMs: start };
}

async function detectKind(config: Config, url: string, probe: ProbeOptions): Promise<SourceKind> {
  try {
    const found = await probeSource(url, probe);
    if (found.kind) return found.kind;
    throw new CommandFailedError(`cannot tell what ${url} is (content type ${found.contentType ?? 'none'}): pass --kind feed|sitemap|page`);
  } catch (error) {
    if (error instanceof FetchError) throw new CommandFailedError(`cannot fetch ${url} to detect its kind (${error.reason}: ${error.message}): pass --kind feed|sitemap|page`);
    throw error;
  }
}

function scheduleText(row: SourceRow): string {
  if (row.cron) return `cron ${row.cron}`;
  const every = row.intervalMs ?? row.everyMs;
  return `${row.adaptive ? 'adaptive ' : 'every '}${every ? formatDuration(every) : '?'}`;
}

function sourceRecord(row: SourceRow, nextRun: number | undefined) {
  return {
    id: row.id,
    url: row.url,
    kind: row.kind,
    schedule: scheduleText(row),
    everyMs: row.everyMs,
    cron: row.cron,
    adaptive: row.adaptive,
    intervalMs: row.intervalMs,
    pattern: row.pattern,
    paused: row.paused,
    lastRunAt: row.lastRunAt,
    lastOutcome: row.lastStatus,
    lastReason: row.lastReason,
    lastError: row.lastError,
    lastHttpStatus: row.lastHttpStatus,
    linksFound: row.linksFound,
    linksNew: row.linksNew,
    polls: row.polls,
    notModifiedPolls: row.notModifiedPolls,
    bytesDownloaded: row.bytesDownloaded,
    nextRunAt: row.paused ? null : nextRun !== undefined ? new Date(nextRun).toISOString() : row.nextRunAt,
  };
}

const add = defineCommand({
  meta: { name: 'add', description: 'Add a feed, sitemap or section page polled on a schedule (adding it again changes its schedule).' },
  args: {
    url: { type: 'positional', required: true, description: 'The feed, sitemap or section page' },
    kind: { type: 'enum', options: [...KINDS], description: 'What the URL is (detected from the response when omitted)' },
    every: { type: 'string', description: 'Fixed interval: 5s at least, e.g. 30s, 15m, 6h (default: adaptive from SOURCE_DEFAULT_EVERY)' },
    cron: { type: 'string', description: 'Cron expression instead of an interval, e.g. "*/10 * * * *"' },
    adaptive: { type: 'boolean', description: 'With --every: adapt the interval to how often the source changes' },
    pattern: { type: 'string', description: 'Section pages: a regular expression the article links must match' },
    format: { type: 'enum', options: ['text', 'json'], default: 'text', description: 'Report format' },
  },
  async run({ args }) {
    const config = loadConfig();
    const url = canonicalSourceUrl(args.url);
    const schedule = scheduleFromFlags(config, { every: args.every, cron: args.cron, adaptive: args.adaptive });
    const pattern = args.pattern === undefined ? null : parsePattern(args.pattern);
    let kind = args.kind as SourceKind | undefined;
    if (!kind) {
      const probe = probeOptions(config);
      try {
        kind = await detectKind(config, url, probe);
      } finally {
        await probe.close();
      }
    }
    const source: NewSource = { url, kind, pattern, ...schedule };
    const { row, created } = await withDatabaseAsync(config, async (db) => {
      const added = addSource(db, source, new Date());
      await syncAfterChange(config, db);
      return added;
    });
    if (args.format === 'json') process.stdout.write(`${JSON.stringify({ created, source: sourceRecord(row, undefined) }, null, 2)}\n`);
    else process.stdout.write(`${created ? 'added' : 'updated'} ${row.kind} ${row.url} (${scheduleText(row)})\n`);
  },
});

const list = defineCommand({
  meta: { name: 'list', description: 'List sources: URL, kind, schedule, last run and outcome, links found and new, next run.' },
  args: {
    format: { type: 'enum', options: ['table', 'json'], default: 'table', description: 'Output format (json prints an array)' },
  },
  async run({ args }) {
    const config = loadConfig();
    const rows = withDatabase(config, (db) => listSources(db));
    // Next runs come from the schedulers when Redis is reachable, else from the last run's estimate.
    const next = await withRedis(config, ({ sourceQueue }) => nextRunsBySource(sourceQueue)).catch((error: Error) => {
      if (rows.length > 0) process.stderr.write(`ingest source list: next runs are estimates (${error.message})\n`);
      return new Map<number, number>();
    });
    const records = rows.map((row) => sourceRecord(row, next.get(row.id)));
    if (args.format === 'json') {
      process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
      return;
    }
    const table = records.map((r) => ({
      url: r.url,
      kind: r.kind,
      schedule: r.paused ? `${r.schedule} (paused)` : r.schedule,
      lastRun: r.lastRunAt ?? '',
      outcome: r.lastOutcome ? `${r.lastOutcome}${r.lastReason ? ` (${r.lastReason})` : ''}` : '',
      found: r.linksFound ?? '',
      new: r.linksNew ?? '',
      nextRun: r.nextRunAt ?? '',
    }));
    process.stdout.write(formatTable(table, ['url', 'kind', 'schedule', 'lastRun', 'outcome', 'found', 'new', 'nextRun']));
  },
});

const remove = defineCommand({
  meta: { name: 'remove', description: 'Remove a source and its schedule (articles it found stay).' },
  args: { url: { type: 'positional', required: true, description: 'The source URL' } },
  async run({ args }) {
    const config = loadConfig();
    const row = requireSource(config, canonicalSourceUrl(args.url));
    await withDatabaseAsync(config, async (db) => {
      removeSource(db, row.id);
      await syncAfterChange(config, db);
    });
    process.stdout.write(`removed ${row.url}\n`);
  },
});

function pauseCommand(paused: boolean) {
  return defineCommand({
    meta: { name: paused ? 'pause' : 'resume', description: paused ? 'Stop polling a source (it is kept).' : 'Poll a paused source again.' },
    args: { url: { type: 'positional', required: true, description: 'The source URL' } },
    async run({ args }) {
      const config = loadConfig();
      const row = requireSource(config, canonicalSourceUrl(args.url));
      await withDatabaseAsync(config, async (db) => {
        setSourcePaused(db, row.id, paused, new Date());
        await syncAfterChange(config, db);
      });
      process.stdout.write(`${paused ? 'paused' : 'resumed'} ${row.url}\n`);
    },
  });
}

const run = defineCommand({
  meta: { name: 'run', description: 'Run a source now, once (a worker with the store role does it).' },
  args: { url: { type: 'positional', required: true, description: 'The source URL' } },
  async run({ args }) {
    const config = loadConfig();
    const row = requireSource(config, canonicalSourceUrl(args.url));
    const now = Date.now();
    await withRedis(config, ({ sourceQueue }) => sourceQueue.add('source', { sourceId: row.id, url: row.url }, { jobId: `source-${row.id}-now-${now}` }));
    process.stdout.write(`queued a run of ${row.url}\n`);
  },
});

interface FoundSource {
  url: string;
  kind: SourceKind;
  via: string;
}

const discover = defineCommand({
  meta: {
    name: 'discover',
    description: 'Find a site\'s feeds and sitemaps (robots.txt Sitemap lines, <link rel="alternate"> on the home page, the usual paths) and print them; --add adds them.',
  },
  args: {
    site: { type: 'positional', required: true, description: 'The site: example.com or https://example.com' },
    add: { type: 'boolean', default: false, description: 'Add every source found (default schedule)' },
    format: { type: 'enum', options: ['text', 'json'], default: 'text', description: 'Output format' },
  },
  async run({ args }) {
    const config = loadConfig();
    let origin: string;
    try {
      origin = siteOrigin(args.site);
    } catch {
      throw new UsageError(`${JSON.stringify(args.site)} is not a site`);
    }
    const probe = probeOptions(config);
    let found: FoundSource[];
    try {
      found = await discoverSources(origin, probe);
    } finally {
      await probe.close();
    }
    if (args.add && found.length > 0) {
      const schedule = scheduleFromFlags(config, {});
      await withDatabaseAsync(config, async (db) => {
        for (const source of found) addSource(db, { url: source.url, kind: source.kind, pattern: null, ...schedule }, new Date());
        await syncAfterChange(config, db);
      });
    }
    if (args.format === 'json') process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
    else {
      for (const source of found) process.stdout.write(`${source.kind}\t${source.url}\t(${source.via})\n`);
      process.stdout.write(`found ${found.length}${args.add ? ', added them' : ''}\n`);
    }
    if (found.length === 0) process.exitCode = 1;
  },
});

async function discoverSources(origin: string, probe: ProbeOptions): Promise<FoundSource[]> {
  const candidates: Array<{ url: string; via: string }> = [];
  const robotsUrl = `${origin}/robots.txt`;
  const robots = await fetchSmallText(robotsUrl, probe, DISCOVERY_MAX_BYTES);
  if (robots) for (const url of robotsSitemaps(robots, robotsUrl)) candidates.push({ url, via: 'robots.txt' });
  const home = await fetchSmallText(`${origin}/`, probe, DISCOVERY_MAX_BYTES);
  if (home) for (const url of announcedFeeds(home, `${origin}/`)) candidates.push({ url, via: 'home page link' });
  for (const path of USUAL_SOURCE_PATHS) candidates.push({ url: `${origin}${path}`, via: 'usual path' });
  const found: FoundSource[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    let url: string;
    try {
      url = canonicalizeUrl(candidate.url);
    } catch {
      continue;
    }
    if (seen.has(url)) continue;
    seen.add(url);
    try {
      const result = await probeSource(url, probe);
      const finalUrl = canonicalizeUrl(result.finalUrl);
      if ((result.kind === 'feed' || result.kind === 'sitemap') && !found.some((f) => f.url === finalUrl)) {
        found.push({ url: finalUrl, kind: result.kind, via: candidate.via });
      }
    } catch {
      // Not there (404, refused): the usual paths are guesses.
    }
  }
  return found;
}

export default defineCommand({
  meta: { name: 'source', description: 'Feeds, sitemaps and section pages re-crawled on a schedule.' },
  subCommands: { add, list, remove, run, pause: pauseCommand(true), resume: pauseCommand(false), discover },
});
