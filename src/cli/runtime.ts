/**
 * The process edge of every command: the environment (with `.env`) parsed into a Config, a
 * logger, terminal colours, the version, the user's site profiles, connections to Redis and the
 * database. Heavy modules (the extractor, BullMQ, the ORM) are imported only by the functions
 * that need them, so `--help`, `--version` and the read-only commands start quickly and small.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseDotenv } from 'dotenv';
import type { RedisClient } from '../queue/redis-connection.ts';
import { parseConfig, type Config } from '../config.ts';
import { CommandFailedError } from '../errors.ts';
import type { SiteProfile } from '../extract/index.ts';
import { createLogger, type Logger } from '../log.ts';
import type { PipelineQueues } from '../queue/queues.ts';
import { redactRedisUrl } from '../queue/redis-outage-monitor.ts';
import { openSqliteReader, type SqliteReader } from '../store/sqlite-reader.ts';
import { colourAllowed } from './terminal.ts';

/** The environment wins over `.env` (the usual rule: a deployment overrides the file). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, dotenvPath = '.env'): Config {
  const fromFile = existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath)) : {};
  return parseConfig({ ...fromFile, ...env });
}

/** The command's logger on stderr; `beforeWrite` lets a progress line step aside for a log line. */
export function createCliLogger(config: Config, beforeWrite?: () => void): Logger {
  const write = (line: string) => {
    beforeWrite?.();
    process.stderr.write(line);
  };
  return createLogger(config.LOG_LEVEL, write, resolveLogFormat(config.LOG_FORMAT, process.stderr));
}

/** LOG_FORMAT=auto means pretty lines for a person at a terminal, JSON lines for collectors. */
export function resolveLogFormat(format: Config['LOG_FORMAT'], stream: { isTTY?: boolean }): 'pretty' | 'json' {
  if (format === 'auto') return stream.isTTY ? 'pretty' : 'json';
  return format;
}

/** Whether stdout and stderr may carry ANSI colours (a TTY, and NO_COLOR unset). */
export function terminalColours(env: NodeJS.ProcessEnv = process.env): { stdout: boolean; stderr: boolean } {
  return { stdout: colourAllowed(process.stdout, env), stderr: colourAllowed(process.stderr, env) };
}

/** The version in the package's own package.json (found upwards from this file, in src/ or dist/). */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'article-ingest' && pkg.version) return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

/** The user's extra site profiles (SITE_PROFILES_PATH), or none. */
export async function loadSiteProfiles(config: Config): Promise<SiteProfile[]> {
  if (config.SITE_PROFILES_PATH === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(config.SITE_PROFILES_PATH, 'utf8'));
  } catch (error) {
    throw new CommandFailedError(`SITE_PROFILES_PATH=${config.SITE_PROFILES_PATH}: ${(error as Error).message}`);
  }
  const { parseSiteProfiles } = await import('../extract/sites/profile-file.ts');
  try {
    return parseSiteProfiles(json);
  } catch (error) {
    throw new CommandFailedError(`SITE_PROFILES_PATH=${config.SITE_PROFILES_PATH}: ${(error as Error).message}`);
  }
}

/** All of standard input as bytes (`extract -`: one page or dump, already bounded by the user). */
export async function readStdinBytes(): Promise<{ bytes: Buffer }> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return { bytes: Buffer.concat(chunks) };
}

/** The database for reading (no ORM loaded), or a clear failure when there is none yet. */
export function openReadOnlyDatabase(config: Config = loadConfig()): SqliteReader {
  if (!existsSync(config.DATABASE_PATH)) {
    throw new CommandFailedError(`no database at ${config.DATABASE_PATH} (DATABASE_PATH): run \`ingest worker\` or \`ingest import\` first`);
  }
  return openSqliteReader(config.DATABASE_PATH);
}

/**
 * A connected Redis client for a one-shot command, or a clear failure naming REDIS_URL. The
 * client's 'error' events are taken here: without a listener ioredis prints "[ioredis]
 * Unhandled error event" and a stack before the command can say what is wrong.
 */
export async function connectCommandRedis(config: Config): Promise<RedisClient> {
  const { createCommandConnection } = await import('../queue/redis-connection.ts');
  const redis = createCommandConnection(config.REDIS_URL);
  let lastError: Error | null = null;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const reason = (lastError as Error | null)?.message ?? (error as Error).message;
    throw new CommandFailedError(`cannot reach Redis at ${redactRedisUrl(config.REDIS_URL)}: ${reason}`);
  }
  return redis;
}

/**
 * Queues for watching (counts for the stats line, idle detection) on a connection of their own
 * that reconnects like the workers' do; its errors are the workers' to report, not repeated here.
 */
export async function openObserverQueues(config: Config): Promise<{ queues: PipelineQueues; close(): Promise<void> }> {
  const [{ createRedisConnection }, { openQueues }] = await Promise.all([import('../queue/redis-connection.ts'), import('../queue/queues.ts')]);
  const redis = createRedisConnection(config.REDIS_URL);
  redis.on('error', () => {});
  const queues = openQueues(config, redis);
  return {
    queues,
    async close() {
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** "1 attempt", "2 attempts". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
