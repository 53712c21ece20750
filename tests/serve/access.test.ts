import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { assertSafeBinding, isLoopbackHost, presentedToken, tokenMatches } from '../../src/serve/access.ts';
import { runMain } from '../helpers/run-main.ts';
import { TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';
import { article, startServeFixture, type ServeFixture } from './serve-fixture.ts';

const TOKEN = 'a-long-enough-test-token-1234';

describe('binding', () => {
  it.each(['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
    expect(() => assertSafeBinding(host, '')).toThrow(/refusing to listen on .* without API_TOKEN/);
    expect(() => assertSafeBinding(host, TOKEN)).not.toThrow();
  });

  it('`ingest serve --host 0.0.0.0` refuses to start without API_TOKEN, before binding anything', async () => {
    // In this process through main(argv): the refusal comes before anything listens.
    const result = await runMain(['serve', '--host', '0.0.0.0', '--port', '0'], {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: uniqueQueuePrefix('serve-refuse'),
      DATABASE_PATH: '/nonexistent/articles.db',
      LOG_LEVEL: 'silent',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without API_TOKEN/);
    expect(result.stdout).not.toMatch(/listening/);
  });

  it('rejects a short API_TOKEN by name', () => {
    expect(() => parseConfig({ API_TOKEN: 'short' })).toThrow(/API_TOKEN="short": use at least 16 characters/);
    expect(parseConfig({}).API_TOKEN).toBe('');
    expect(parseConfig({}).SERVE_HOST).toBe('127.0.0.1');
    expect(parseConfig({}).SERVE_PORT).toBe(8080);
  });
});

describe('tokens', () => {
  it('reads Bearer and Basic credentials and compares them exactly', () => {
    expect(presentedToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(presentedToken(`Basic ${Buffer.from(`anyone:${TOKEN}`).toString('base64')}`)).toBe(TOKEN);
    expect(presentedToken(undefined)).toBeNull();
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokenMatches(null, TOKEN)).toBe(false);
    expect(tokenMatches('', '')).toBe(false);
  });
});

describe('a server with API_TOKEN', () => {
  let fx: ServeFixture;
  beforeAll(async () => {
    fx = await startServeFixture({ API_TOKEN: TOKEN }, [article(1)]);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('answers 401 without the token, everywhere but /healthz', async () => {
    for (const path of ['/api/articles', '/api/search?q=body', '/feed.atom', '/metrics', '/', '/queues', '/status']) {
      const response = await fx.get(path);
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/Bearer/);
      expect(((await response.json()) as any).error.code).toBe('unauthorized');
    }
    expect((await fx.get('/api/articles', { headers: { Authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    expect((await fx.get('/healthz')).status).toBe(200);
  });

  it('serves with the token as Bearer, or as the password of Basic (a browser)', async () => {
    expect((await fx.get('/api/articles', { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const basic = `Basic ${Buffer.from(`me:${TOKEN}`).toString('base64')}`;
    expect((await fx.get('/', { headers: { Authorization: basic } })).status).toBe(200);
  });

  it('lets token holders act on the queue dashboard; the API stays read-only', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const queues = (await (await fx.get('/queues/api/queues', { headers: auth })).json()) as any;
    expect(queues.queues.every((q: any) => q.readOnlyMode === false)).toBe(true);
    expect((await fx.get('/queues/api/queues/fetch/retry/failed', { method: 'PUT', headers: auth })).status).toBe(200);
    expect((await fx.get('/api/articles', { method: 'DELETE', headers: auth })).status).toBe(405);
  });
});
