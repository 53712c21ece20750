/**
 * A running `ingest serve` app over a real SQLite file for the serve tests: a writer connection
 * to add rows while the server reads, and a unique Redis prefix cleaned up afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, openDatabase, type Db } from '../../db/client.ts';
import type { Article } from '../../src/article/article.ts';
import { parseConfig, type Config } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { startServer, type RunningServer } from '../../src/serve/server.ts';
import { upsertArticle } from '../../src/store/article-store.ts';
import { makeArticle } from '../helpers/article-factory.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

export interface ServeFixture {
  server: RunningServer;
  config: Config;
  writer: Db;
  dir: string;
  /** Store an article as the store worker would; returns its id. */
  add(overrides: Partial<Article>): number;
  get(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** An article with its own URL, text hash and word count. */
export function article(n: number, overrides: Partial<Article> = {}): Partial<Article> {
  const text = overrides.text ?? `Body of article number ${n}.\n\nA second paragraph about item${n}.`;
  return makeArticle({
    url: `https://news.example/a/${n}`,
    canonicalUrl: `https://news.example/a/${n}`,
    title: `Headline ${n}`,
    ...overrides,
    text,
    wordCount: text.split(/\s+/).filter(Boolean).length,
    contentHash: `hash-${n}-${text.length}`,
  });
}

export async function startServeFixture(env: Record<string, string> = {}, seed: Array<Partial<Article>> = []): Promise<ServeFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'serve-test-'));
  const prefix = uniqueQueuePrefix('serve');
  const config = parseConfig({ REDIS_URL: TEST_REDIS_URL, DATABASE_PATH: join(dir, 'articles.db'), QUEUE_PREFIX: prefix, ...env });
  const writer = openDatabase(config.DATABASE_PATH);
  let clock = Date.parse('2024-03-28T10:00:00Z');
  const add = (overrides: Partial<Article>) => upsertArticle(writer, makeArticle(overrides), new Date((clock += 1000))).id;
  for (const overrides of seed) add(overrides);
  const server = await startServer({ config, host: '127.0.0.1', port: 0, logger: silentLogger });
  return {
    server,
    config,
    writer,
    dir,
    add,
    get: (path, init) => fetch(`${server.url}${path}`, init),
    async close() {
      await server.close();
      closeDatabase(writer);
      await deleteKeysWithPrefix(prefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
