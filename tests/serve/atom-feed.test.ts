import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atomDateTime, uuidUrn, xmlText } from '../../src/serve/atom-feed.ts';
import { article, startServeFixture, type ServeFixture } from './serve-fixture.ts';

const ATOM = 'http://www.w3.org/2005/Atom';
/** RFC 3339 date-time, as RFC 4287 §3.3 requires of every date construct. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** An IRI has a scheme (RFC 3987): what RFC 4287 §4.2.6 asks of atom:id. */
const ABSOLUTE_IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;

interface XmlElement {
  name: string;
  ns: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A strict (namespace-aware, well-formedness-checking) parse into a small tree. */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = {
      name: tag.local,
      ns: tag.uri,
      attributes: Object.fromEntries(Object.values(tag.attributes).map((a) => [a.prefix ? `${a.prefix}:${a.local}` : a.local, a.value])),
      children: [],
      text: '',
    };
    stack.at(-1)?.children.push(element);
    stack.push(element);
    root ??= element;
  });
  parser.on('text', (text) => {
    if (stack.length) stack.at(-1)!.text += text;
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(xml).close();
  return root!;
}

const childrenNamed = (element: XmlElement, name: string) => element.children.filter((c) => c.name === name && c.ns === ATOM);
const only = (element: XmlElement, name: string) => {
  const found = childrenNamed(element, name);
  expect(found, `exactly one atom:${name}`).toHaveLength(1);
  return found[0]!;
};

/** The rules of RFC 4287 that a feed reader depends on (§4.1.1, §4.1.2, §4.2). */
function checkAtomRules(feed: XmlElement, selfUrl: string): XmlElement[] {
  expect(feed.name).toBe('feed');
  expect(feed.ns).toBe(ATOM);
  expect(only(feed, 'id').text).toMatch(ABSOLUTE_IRI);
  expect(only(feed, 'title').text.length).toBeGreaterThan(0);
  expect(only(feed, 'updated').text).toMatch(RFC3339);
  const feedHasAuthor = childrenNamed(feed, 'author').length > 0;
  const links = childrenNamed(feed, 'link');
  const self = links.filter((l) => l.attributes['rel'] === 'self');
  expect(self).toHaveLength(1);
  expect(self[0]!.attributes['href']).toBe(selfUrl);
  const entries = childrenNamed(feed, 'entry');
  const ids = new Set<string>();
  for (const entry of entries) {
    const id = only(entry, 'id').text;
    expect(id).toMatch(ABSOLUTE_IRI);
    expect(ids.has(id), `entry id ${id} is unique`).toBe(false);
    ids.add(id);
    expect(only(entry, 'title').text.length).toBeGreaterThan(0);
    expect(only(entry, 'updated').text).toMatch(RFC3339);
    const published = childrenNamed(entry, 'published');
    expect(published.length).toBeLessThanOrEqual(1);
    if (published[0]) expect(published[0].text).toMatch(RFC3339);
    const authors = childrenNamed(entry, 'author');
    expect(feedHasAuthor || authors.length > 0).toBe(true);
    for (const author of authors) expect(only(author, 'name').text.length).toBeGreaterThan(0);
    const alternates = childrenNamed(entry, 'link').filter((l) => (l.attributes['rel'] ?? 'alternate') === 'alternate');
    // §4.1.1: no two alternate links with the same type and hreflang; §4.1.2: content or an alternate link.
    expect(new Set(alternates.map((l) => `${l.attributes['type']}|${l.attributes['hreflang']}`)).size).toBe(alternates.length);
    for (const link of childrenNamed(entry, 'link')) expect(link.attributes['href']).toMatch(/^https?:\/\//);
    const content = childrenNamed(entry, 'content');
    expect(content.length + alternates.length).toBeGreaterThan(0);
    expect(childrenNamed(entry, 'summary').length).toBeLessThanOrEqual(1);
  }
  return entries;
}

let fx: ServeFixture;
beforeAll(async () => {
  fx = await startServeFixture({}, [
    article(1, { title: 'Oil <exports> & "rise"', authors: ['Jane Roe'], description: 'Lead paragraph.', publishedAt: '2017-07-25T22:43+04:30', publishedAtUtc: '2017-07-25T18:13:00Z', text: 'Crude oil rose.\u0001\n\nSecond paragraph.' }),
    article(2, { site: 'irna.ir', url: 'https://irna.ir/2', canonicalUrl: 'https://irna.ir/2', language: 'fa', title: 'خبر', publishedAt: '2019-03-04T10:00:00+03:30', publishedAtUtc: '2019-03-04T06:30:00Z', text: 'متن خبر درباره نفت' }),
    article(3, { url: null as unknown as string, canonicalUrl: null as unknown as string, title: 'A dump article', publishedAt: '2018-01-01', publishedPrecision: 'day', publishedAtUtc: null, text: 'From a text dump.' }),
  ]);
});
afterAll(async () => {
  await fx?.close();
});

describe('GET /feed.atom', () => {
  it('is well-formed Atom 1.0 that keeps the schema rules: ids, updated, links, authors', async () => {
    const response = await fx.get('/feed.atom');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = parseXml(await response.text());
    const entries = checkAtomRules(feed, `${fx.server.url}/feed.atom`);
    expect(entries).toHaveLength(3);
    const [persian, english, dump] = entries as [XmlElement, XmlElement, XmlElement];
    expect(persian.attributes['xml:lang']).toBe('fa');
    expect(only(english, 'id').text).toBe('https://news.example/a/1');
    expect(only(english, 'title').text).toBe('Oil <exports> & "rise"');
    expect(only(english, 'published').text).toBe('2017-07-25T22:43:00+04:30');
    expect(only(only(english, 'author'), 'name').text).toBe('Jane Roe');
    expect(only(english, 'summary').text).toBe('Lead paragraph.');
    expect(only(english, 'content').text).toBe('Crude oil rose.\n\nSecond paragraph.');
    // Only a day is known: no invented time; no address: a stable urn:uuid id.
    expect(childrenNamed(dump, 'published')).toHaveLength(0);
    expect(only(dump, 'id').text).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(only(feed, 'updated').text).toBe(entries.map((e) => only(e, 'updated').text).sort().at(-1));
  });

  it('filters with ?site= and ?q=, and refuses a bad query with 400 JSON', async () => {
    const site = parseXml(await (await fx.get('/feed.atom?site=irna.ir')).text());
    expect(checkAtomRules(site, `${fx.server.url}/feed.atom?site=irna.ir`)).toHaveLength(1);
    const search = parseXml(await (await fx.get('/feed.atom?q=dump')).text());
    expect(childrenNamed(search, 'entry').map((e) => only(e, 'title').text)).toEqual(['A dump article']);
    expect(only(search, 'id').text).not.toBe(only(site, 'id').text);
    const bad = await fx.get('/feed.atom?q=%22open');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe('bad-search');
  });

  it('answers conditional GETs with 304 until an article changes', async () => {
    const first = await fx.get('/feed.atom');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toBeTruthy();
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);
    expect((await fx.get('/feed.atom', { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await fx.get('/feed.atom', { headers: { 'If-Modified-Since': lastModified } })).status).toBe(304);
    fx.add(article(4, { title: 'Newer', publishedAt: '2020-01-01T00:00:00Z', publishedAtUtc: '2020-01-01T00:00:00Z' }));
    const after = await fx.get('/feed.atom', { headers: { 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    expect((await fx.get('/feed.atom', { headers: { 'If-Modified-Since': lastModified } })).status).toBe(200);
  });
});

describe('Atom helpers', () => {
  it('drop characters XML cannot carry and escape markup', () => {
    expect(xmlText('a\u0000b\u0008c <d> & \uD800e')).toBe('abc &lt;d&gt; &amp; e');
  });
  it('write dates as RFC 3339 and refuse bare days', () => {
    expect(atomDateTime('2017-07-25T22:43+04:30')).toBe('2017-07-25T22:43:00+04:30');
    expect(atomDateTime('2024-03-28T10:00:00.000Z')).toBe('2024-03-28T10:00:00.000Z');
    expect(atomDateTime('2019-03-04')).toBeNull();
    expect(atomDateTime('2019-03-04T10:00')).toBeNull();
  });
  it('make the same uuid for the same name', () => {
    expect(uuidUrn('x')).toBe(uuidUrn('x'));
    expect(uuidUrn('x')).not.toBe(uuidUrn('y'));
  });
});
