import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, parseConfig } from '../src/config.ts';
import { ConfigError } from '../src/errors.ts';

describe('parseConfig', () => {
  it('gives every default for an empty environment', () => {
    const config = parseConfig({});
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.DATABASE_PATH).toBe('./data/articles.db');
    expect(config.QUEUE_PREFIX).toBe('ingest');
    expect(config.ALLOW_PRIVATE_NETWORKS).toBe(false);
    expect(config.PER_HOST_CONCURRENCY).toBe(2);
    expect(config.PER_HOST_DELAY_MS).toBe(1000);
    expect(config.MAX_BODY_BYTES).toBe(10 * 1024 * 1024);
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('reads and types good values, ignoring unrelated variables', () => {
    const config = parseConfig({
      REDIS_URL: 'redis://redis:6380/2',
      ALLOW_PRIVATE_NETWORKS: 'true',
      PER_HOST_CONCURRENCY: '4',
      PER_HOST_DELAY_MS: '0',
      FETCH_TIMEOUT_MS: ' 1500 ',
      LOG_LEVEL: 'debug',
      HOME: '/root',
    });
    expect(config).toMatchObject({
      REDIS_URL: 'redis://redis:6380/2',
      ALLOW_PRIVATE_NETWORKS: true,
      PER_HOST_CONCURRENCY: 4,
      PER_HOST_DELAY_MS: 0,
      FETCH_TIMEOUT_MS: 1500,
      LOG_LEVEL: 'debug',
    });
    expect(config).not.toHaveProperty('HOME');
  });

  it('treats an empty value as unset', () => {
    expect(parseConfig({ PER_HOST_DELAY_MS: '' }).PER_HOST_DELAY_MS).toBe(1000);
  });

  it.each([
    ['PER_HOST_CONCURRENCY', '0'],
    ['PER_HOST_CONCURRENCY', 'two'],
    ['PER_HOST_DELAY_MS', '-5'],
    ['FETCH_TIMEOUT_MS', '1.5'],
    ['ALLOW_PRIVATE_NETWORKS', 'maybe'],
    ['LOG_LEVEL', 'verbose'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['QUEUE_PREFIX', 'has:colon'],
    ['QUEUE_PREFIX', '{two}{tags}'],
    ['QUEUE_PREFIX', 'empty{}tag'],
    ['REDIS_URL', 'redis+sentinel://127.0.0.1:26379'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });

  it('accepts a Redis Cluster URL with a hash-tagged prefix, and refuses one without a tag', () => {
    const cluster = 'redis+cluster://10.0.0.1:6379,10.0.0.2:6379';
    expect(parseConfig({ REDIS_URL: cluster, QUEUE_PREFIX: '{ingest}' }).QUEUE_PREFIX).toBe('{ingest}');
    expect(parseConfig({ REDIS_URL: cluster, QUEUE_PREFIX: 'news{ingest}' }).QUEUE_PREFIX).toBe('news{ingest}');
    expect(() => parseConfig({ REDIS_URL: cluster })).toThrow(/QUEUE_PREFIX="ingest": a Redis Cluster needs a hash tag in the prefix, like \{ingest\}/);
    // A hash tag is harmless on a single server.
    expect(parseConfig({ QUEUE_PREFIX: '{ingest}' }).QUEUE_PREFIX).toBe('{ingest}');
  });

  it('names every bad variable at once', () => {
    try {
      parseConfig({ PER_HOST_CONCURRENCY: 'x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('PER_HOST_CONCURRENCY');
      expect((error as Error).message).toContain('LOG_LEVEL');
    }
  });
});

describe('configuration documentation', () => {
  it('.env.example lists every variable and nothing else', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const listed = [...example.matchAll(/^([A-Z_]+)=/gm)].map((match) => match[1]);
    expect(listed.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('.env.example shows the defaults', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const values = Object.fromEntries([...example.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(parseConfig(values)).toEqual(parseConfig({}));
  });

  it('the README configuration table names every variable', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of CONFIG_VARIABLES) expect(readme).toContain(`| \`${name}\``);
  });
});

describe('extraction pool settings', () => {
  it('defaults to one thread per core, a 5 s and 128 MB budget, and refuses 0 threads', async () => {
    const { availableParallelism } = await import('node:os');
    const config = parseConfig({});
    expect(config.EXTRACT_THREADS).toBe(Math.max(1, availableParallelism()));
    expect(config.EXTRACT_TIMEOUT_MS).toBe(5_000);
    expect(config.EXTRACT_MEMORY_MB).toBe(128);
    expect(parseConfig({ EXTRACT_THREADS: '3' }).EXTRACT_THREADS).toBe(3);
    expect(() => parseConfig({ EXTRACT_THREADS: '0' })).toThrow(/EXTRACT_THREADS="0"/);
  });
});
