import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipelineMetricsRecorder } from '../../src/queue/pipeline-metrics.ts';
import { addSource } from '../../src/store/source-store.ts';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '../helpers/redis-test-prefix.ts';
import { article, startServeFixture, type ServeFixture } from './serve-fixture.ts';

const PERSIAN_TEXT = 'صادرات نفت ایران در ماه گذشته افزایش یافت.\n\nوزارت نفت این خبر را اعلام کرد.';

const SEED = [
  article(1, { title: 'Oil exports rise in July', storyCode: '1001', publishedAt: '2017-07-25T22:43:00+04:30', publishedAtUtc: '2017-07-25T18:13:00Z', text: 'Exports of crude oil rose sharply.\n\nThe ministry said <b>more</b> was coming.' }),
  article(2, { site: 'irna.ir', url: 'https://irna.ir/news/2', canonicalUrl: 'https://irna.ir/news/2', title: 'افزایش صادرات نفت', language: 'fa', storyCode: '2002', publishedAt: '2019-03-04T10:00:00+03:30', publishedAtUtc: '2019-03-04T06:30:00Z', text: PERSIAN_TEXT }),
  article(3, { site: 'other.example', title: 'A day without a time', publishedAt: '2018-01-01', publishedPrecision: 'day', publishedAtUtc: null, text: 'Weather was calm. Nothing about oil here.' }),
  article(4, { title: 'Markets and oil', publishedAt: '2018-06-01T12:00:00Z', publishedAtUtc: '2018-06-01T12:00:00Z', text: 'Stock markets moved. Oil was mentioned once.' }),
];

let fx: ServeFixture;
const json = async (path: string, init?: RequestInit) => {
  const response = await fx.get(path, init);
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
};

beforeAll(async () => {
  fx = await startServeFixture({}, SEED);
});
afterAll(async () => {
  await fx?.close();
});

describe('GET /healthz', () => {
  it('answers 200 when the database and Redis are reachable', async () => {
    const { status, body } = await json('/healthz');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
  });
});

describe('GET /api/articles', () => {
  it('lists articles newest UTC instant first, undated last, as {items, next}', async () => {
    const { status, body } = await json('/api/articles');
    expect(status).toBe(200);
    expect(body.next).toBeNull();
    expect(body.items.map((a: any) => a.title)).toEqual(['افزایش صادرات نفت', 'Markets and oil', 'Oil exports rise in July', 'A day without a time']);
    expect(body.items[0]).toMatchObject({ site: 'irna.ir', language: 'fa', storyCode: '2002', publishedAt: '2019-03-04T10:00:00+03:30' });
  });

  it('filters by site, language, story code and full text', async () => {
    expect((await json('/api/articles?site=www.IRNA.ir')).body.items.map((a: any) => a.storyCode)).toEqual(['2002']);
    expect((await json('/api/articles?language=fa')).body.items).toHaveLength(1);
    expect((await json('/api/articles?storyCode=1001')).body.items.map((a: any) => a.title)).toEqual(['Oil exports rise in July']);
    const oil = (await json('/api/articles?q=oil')).body.items.map((a: any) => a.title);
    expect(oil.sort()).toEqual(['A day without a time', 'Markets and oil', 'Oil exports rise in July']);
    expect((await json('/api/articles?q=oil&site=other.example')).body.items).toHaveLength(1);
  });

  it('compares since and until on the stored UTC instant, whatever offset they are given in', async () => {
    const titles = async (query: string) => (await json(`/api/articles?${query}`)).body.items.map((a: any) => a.title);
    // Published 22:43 at +04:30 is 18:13 UTC.
    expect(await titles('since=2017-07-25T18:13:00Z&until=2017-07-25T18:13:00Z')).toEqual(['Oil exports rise in July']);
    expect(await titles('since=2017-07-25T22:44:00%2B04:30&until=2017-12-31')).toEqual([]);
    expect(await titles('since=2017-07-25T22:43:00%2B04:30&until=2017-12-31')).toEqual(['Oil exports rise in July']);
    // A bare until includes its whole (UTC) day; an article without a known instant never matches a date filter.
    expect(await titles('since=2018-01-01&until=2018-06-01')).toEqual(['Markets and oil']);
  });

  it('pages with a cursor that stays stable while rows are inserted', async () => {
    const base = Date.parse('2020-01-10T00:00:00Z');
    const at = (hours: number) => new Date(base + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const originals = new Set<number>();
    // Two articles share an instant, so the id breaks the tie.
    for (const [n, hours] of [[101, 10], [102, 9], [103, 9], [104, 7], [105, 5], [106, 3], [107, 1]] as const) {
      originals.add(fx.add(article(n, { site: 'paging.example', publishedAt: at(hours), publishedAtUtc: at(hours) })));
    }
    const seen: number[] = [];
    const keys: Array<[string, number]> = [];
    let link: string | null = '/api/articles?site=paging.example&limit=2';
    let inserted = 200;
    while (link) {
      const { status, body } = await json(link);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(2);
      for (const item of body.items) {
        seen.push(item.id);
        keys.push([item.publishedAtUtc, item.id]);
      }
      // Between pages: a newer article, one at the very instant of the last row, and an old one.
      const last = body.items.at(-1);
      fx.add(article(inserted++, { site: 'paging.example', publishedAt: at(20), publishedAtUtc: at(20) }));
      fx.add(article(inserted++, { site: 'paging.example', publishedAt: last.publishedAtUtc, publishedAtUtc: last.publishedAtUtc }));
      if (inserted < 206) fx.add(article(inserted++, { site: 'paging.example', publishedAt: at(-50), publishedAtUtc: at(-50) }));
      link = body.next;
      if (link) expect(link).toMatch(/^\/api\/articles\?.*cursor=/);
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of originals) expect(seen).toContain(id);
    for (let i = 1; i < keys.length; i++) {
      const [previous, current] = [keys[i - 1]!, keys[i]!];
      expect(previous[0] > current[0] || (previous[0] === current[0] && previous[1] > current[1])).toBe(true);
    }
  });

  it('answers ETag and 304 to If-None-Match', async () => {
    const first = await fx.get('/api/articles?site=irna.ir');
    const tag = first.headers.get('etag');
    expect(tag).toBeTruthy();
    const again = await fx.get('/api/articles?site=irna.ir', { headers: { 'If-None-Match': tag! } });
    expect(again.status).toBe(304);
    fx.add(article(300, { site: 'irna.ir', language: 'fa', text: PERSIAN_TEXT + ' ۳۰۰' }));
    const changed = await fx.get('/api/articles?site=irna.ir', { headers: { 'If-None-Match': tag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(tag);
  });
});

describe('GET /api/articles/:id', () => {
  it('returns one article, 404 for a missing id, 400 for a malformed one', async () => {
    const list = (await json('/api/articles?storyCode=1001')).body.items;
    const { status, body } = await json(`/api/articles/${list[0].id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: list[0].id, title: 'Oil exports rise in July', text: expect.stringContaining('crude oil') });
    expect((await json('/api/articles/999999')).status).toBe(404);
    const bad = await json('/api/articles/abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad-parameter');
  });
});

describe('versions and sources, read through the stable views', () => {
  it('returns every version of a changed article, oldest first', async () => {
    const first = 'The minister said the talks went well and would continue next week in the capital.';
    const id = fx.add(article(500, { title: 'Talks', text: first }));
    expect(fx.add(article(500, { title: 'Talks', text: first.replace('went well and would continue', 'went badly and would not continue') }))).toBe(id);
    const { body } = await json(`/api/articles/${id}`);
    expect(body.versions.map((v: any) => v.version)).toEqual([1, 2]);
    expect(body.versions[0].text).toContain('went well');
    expect(body.versions[1]).toMatchObject({ suspicious: false, text: expect.stringContaining('went badly') });
    expect(body.text).toContain('went badly');
  });

  it('lists the configured sources', async () => {
    addSource(fx.writer, { url: 'https://news.example/feed.xml', kind: 'feed', everyMs: 900_000, cron: null, adaptive: false, intervalMs: 900_000, pattern: null }, new Date());
    const { body } = await json('/api/sources');
    expect(body.items).toEqual([expect.objectContaining({ url: 'https://news.example/feed.xml', kind: 'feed', schedule: 'every', intervalMs: 900_000, paused: false })]);
  });
});

describe('GET /api/search', () => {
  it('ranks by BM25, a title match first, with escaped, highlighted snippets', async () => {
    const { status, body } = await json('/api/search?q=oil');
    expect(status).toBe(200);
    // Both title matches rank above the article that has the word only in its body.
    expect(body.items.map((item: any) => item.title).slice(0, 2).sort()).toEqual(['Markets and oil', 'Oil exports rise in July']);
    expect(body.items.at(-1).title).toBe('A day without a time');
    const scores = body.items.map((item: any) => item.score);
    expect([...scores].sort((a: number, b: number) => a - b)).toEqual(scores);
    const exports = body.items.find((item: any) => item.title === 'Oil exports rise in July');
    expect(exports.highlight.title).toBe('<mark>Oil</mark> exports rise in July');
    expect(exports.highlight.snippet).toContain('<mark>oil</mark>');
    expect(exports.highlight.snippet).toContain('&lt;b&gt;more&lt;/b&gt;');
    expect(exports).not.toHaveProperty('text');
  });

  it('finds Persian words and pages with a cursor', async () => {
    expect((await json('/api/search?q=' + encodeURIComponent('صادرات'))).body.items[0].language).toBe('fa');
    const first = await json('/api/search?q=oil&limit=1');
    expect(first.body.items).toHaveLength(1);
    const second = await json(first.body.next);
    expect(second.status).toBe(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });
});

describe('bad input gets a 400 with a JSON error, never a 500', () => {
  it.each([
    ['/api/search?q=%22unbalanced', 'bad-search'],
    ['/api/search?q=AND', 'bad-search'],
    ['/api/articles?q=oil%20AND', 'bad-search'],
    ['/api/search', 'bad-search'],
    ['/api/articles?since=yesterday', 'bad-parameter'],
    ['/api/articles?since=2019-02-30', 'bad-parameter'],
    ['/api/articles?since=2019-03-04T10:00', 'bad-parameter'],
    ['/api/articles?until=2019-01-01&since=2019-02-01', 'bad-parameter'],
    ['/api/articles?sort=oldest', 'unknown-parameter'],
    ['/api/articles?site=a&site=b', 'bad-parameter'],
    ['/api/articles?limit=0', 'bad-parameter'],
    ['/api/articles?limit=1000', 'bad-parameter'],
    ['/api/articles?cursor=not-a-cursor', 'bad-cursor'],
    ['/api/articles?language=%E0%A4%A', 'bad-parameter'],
    ['/api/sources?x=1', 'unknown-parameter'],
  ])('%s', async (path, code) => {
    const { status, body, headers } = await json(path);
    expect(status).toBe(400);
    expect(headers.get('content-type')).toMatch(/application\/json/);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toEqual(expect.any(String));
  });

  it('refuses a cursor made for other filters', async () => {
    const { body } = await json('/api/articles?limit=1');
    const cursor = new URL(body.next, 'http://x').searchParams.get('cursor');
    const other = await json(`/api/articles?limit=1&site=irna.ir&cursor=${cursor}`);
    expect(other.status).toBe(400);
    expect(other.body.error.code).toBe('bad-cursor');
  });

  it('refuses writes, answers unknown routes 404, and survives a malformed request line', async () => {
    expect((await json('/api/articles', { method: 'POST', body: '{}' })).status).toBe(405);
    expect((await json('/api/nothing-here')).status).toBe(404);
    const { connect } = await import('node:net');
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(fx.server.port, '127.0.0.1', () => socket.write('GET /api/articles HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await json('/healthz')).status).toBe(200);
  });
});

describe('GET /api/sources and /api/status', () => {
  it('lists every site with its article count', async () => {
    const { body } = await json('/api/sources');
    const irna = body.sites.find((s: any) => s.site === 'irna.ir');
    expect(irna).toMatchObject({ languages: ['fa'] });
    expect(irna.articles).toBeGreaterThanOrEqual(1);
  });

  it('says what `ingest status --format json` says', async () => {
    const { status, body } = await json('/api/status');
    expect(status).toBe(200);
    expect(Object.keys(body.queues).sort()).toEqual(['fetch', 'store']);
    expect(body.queues.fetch).toMatchObject({ waiting: 0, active: 0, failed: 0 });
    expect(body.database).toMatchObject({ path: fx.config.DATABASE_PATH, articles: expect.any(Number), throughput: expect.any(Array) });
  });
});

describe('GET /metrics', () => {
  it('exposes Prometheus text: what workers published, queue depths and crawl state', async () => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const recorder = createPipelineMetricsRecorder(redis, fx.config.QUEUE_PREFIX);
      const fetchedAt = '2024-03-28T10:00:00.000Z';
      const outcome = { url: 'https://news.example/x', site: 'news.example', httpStatus: 200, error: null, attempts: 1, finalUrl: null, etag: null, lastModified: null, contentHash: null, fetchMs: 180, fetchedAt, nextFetchAt: null };
      recorder.recordOutcome({ ...outcome, status: 'stored', reason: null }, new Date('2024-03-28T10:00:02Z'));
      recorder.recordOutcome({ ...outcome, status: 'failed', reason: 'http-404', fetchMs: 40 }, new Date('2024-03-28T10:00:01Z'));
      recorder.observeExtraction(12);
      recorder.observePolitenessWait('news.example', 900);
      await recorder.close();
    } finally {
      redis.disconnect();
    }
    const response = await fx.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^# TYPE ingest_pages_fetched_total counter$/m);
    expect(text).toMatch(/^ingest_pages_fetched_total 2$/m);
    expect(text).toMatch(/^ingest_pages_stored_total 1$/m);
    expect(text).toMatch(/^ingest_pages_failed_total\{reason="http-404"\} 1$/m);
    expect(text).toMatch(/^# TYPE ingest_fetch_duration_seconds histogram$/m);
    expect(text).toMatch(/^ingest_fetch_duration_seconds_bucket\{le="0\.05"\} 1$/m);
    expect(text).toMatch(/^ingest_fetch_duration_seconds_bucket\{le="0\.25"\} 2$/m);
    expect(text).toMatch(/^ingest_fetch_duration_seconds_bucket\{le="\+Inf"\} 2$/m);
    expect(text).toMatch(/^ingest_fetch_duration_seconds_sum 0\.22$/m);
    expect(text).toMatch(/^ingest_extraction_duration_seconds_count 1$/m);
    expect(text).toMatch(/^ingest_store_lag_seconds_bucket\{le="5"\} 2$/m);
    expect(text).toMatch(/^ingest_politeness_wait_seconds_total\{host="news\.example"\} 0\.9$/m);
    expect(text).toMatch(/^ingest_queue_jobs\{queue="fetch",state="waiting"\} 0$/m);
    expect(text).toMatch(/^ingest_articles\{site="irna\.ir"\} \d+$/m);
    expect(text).toMatch(/^ingest_serve_process_resident_memory_bytes \d+/m);
  });
});

describe('the browse page as served HTML', () => {
  it('/?q=term shows the results in the page itself, with no script needed', async () => {
    const response = await fx.get('/?q=crude');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<form class="search" method="get" action="/" role="search">');
    expect(html).toMatch(/<h2><a href="\/articles\/\d+">Oil exports rise in July<\/a><\/h2>/);
    expect(html).toContain('<mark>crude</mark>');
    expect(html).toContain('<article lang="en" dir="auto">');
  });

  it('answers a bad date in the form with the form and a 400, and a Persian result right to left', async () => {
    const bad = await fx.get('/?since=someday');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('role="alert"');
    expect(await (await fx.get('/?language=fa')).text()).toContain('<article lang="fa" dir="rtl">');
  });
});

describe('GET /queues', () => {
  it('serves the dashboard read-only without a token', async () => {
    const page = await fx.get('/queues');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    // Its script is served too (bull-board's UI package, through the node-server static handler).
    const script = /<script[^>]+src="([^"]+)"/.exec(html)![1]!;
    expect((await fx.get(new URL(script, `${fx.server.url}/queues/`).pathname)).status).toBe(200);
    const queues = await json('/queues/api/queues');
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((q: any) => q.name).sort()).toEqual(['fetch', 'store']);
    expect(queues.body.queues.every((q: any) => q.readOnlyMode === true)).toBe(true);
    expect((await fx.get('/queues/api/queues/fetch/retry/failed', { method: 'PUT' })).status).toBe(405);
  });
});
