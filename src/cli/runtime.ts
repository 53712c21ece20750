/**
 * The process edge of every command: the environment (with `.env`) parsed into a Config,
 * a logger, reading input lines, the user's site profiles.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { parseConfig, type Config } from '../config.ts';
import { CommandFailedError } from '../errors.ts';
import { parseSiteProfiles, type SiteProfile } from '../extract/index.ts';
import { createLogger, type Logger } from '../log.ts';

/** The environment wins over `.env` (the usual rule: a deployment overrides the file). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, dotenvPath = '.env'): Config {
  const fromFile = existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath)) : {};
  return parseConfig({ ...fromFile, ...env });
}

export function createCliLogger(config: Config): Logger {
  return createLogger(config.LOG_LEVEL);
}

/** The user's extra site profiles (SITE_PROFILES_PATH), or none. */
export function loadSiteProfiles(config: Config): SiteProfile[] {
  if (config.SITE_PROFILES_PATH === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(config.SITE_PROFILES_PATH, 'utf8'));
  } catch (error) {
    throw new CommandFailedError(`SITE_PROFILES_PATH=${config.SITE_PROFILES_PATH}: ${(error as Error).message}`);
  }
  try {
    return parseSiteProfiles(json);
  } catch (error) {
    throw new CommandFailedError(`SITE_PROFILES_PATH=${config.SITE_PROFILES_PATH}: ${(error as Error).message}`);
  }
}

/** All of standard input as text (for `-` arguments). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CommandFailedError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
