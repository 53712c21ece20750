/**
 * Feed-parser benchmark: `npm run bench:feeds`.
 *
 * Why feedsmith: it reads RSS 0.9x/2.0, Atom 1.0 and RDF 1.0 (and their namespaces) into typed
 * objects, is maintained (releases through 2026), and parses with fast-xml-parser's entity
 * processing off, so DOCTYPE entities are never expanded. The alternative measured beside it is
 * @rowanmanning/feed-parser (also maintained, also on fast-xml-parser).
 *
 * Each parser reads the same generated feeds (RSS 2.0, RSS 0.91, Atom 1.0, RDF 1.0, 100 items
 * each) many times: links recovered (our mapping for feedsmith, the peer's own `items[].url`),
 * feeds per second, and the time to refuse or survive a billion-laughs entity bomb. Exits 1 when
 * feedsmith falls below the floors pinned here.
 */
import { parseFeed as peerParseFeed } from '@rowanmanning/feed-parser';
import { parseFeedDocument } from '../src/discover/feed.ts';

/**
 * Floors for our parser (never lower them): every link of every format, and a speed relative to
 * the peer measured in the same run (absolute speeds swing with the load of a shared machine;
 * the ratio does not). Measured 1.6× on 2 busy cores.
 */
const FLOOR_LINK_RECALL = 1;
const FLOOR_SPEED_RATIO = 1.2;
/** An entity bomb must be dealt with in well under a second, expanded or not. */
const FLOOR_BOMB_MS = 1_000;

const ITEMS = 100;
const PASSES = 200;
const BASE = 'https://news.example/feed';

const link = (i: number) => `https://news.example/a/${i}`;
const FEEDS: Record<string, string> = {
  'rss 2.0': `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>N</title><link>https://news.example/</link>${Array.from({ length: ITEMS }, (_, i) => `<item><title>Story ${i} &amp; more</title><link>${link(i)}</link><guid>${link(i)}</guid><pubDate>Tue, 25 Jul 2017 18:13:00 GMT</pubDate><description>&lt;p&gt;Lead ${i}&lt;/p&gt;</description><dc:creator>Jane</dc:creator></item>`).join('')}</channel></rss>`,
  'rss 0.91': `<rss version="0.91"><channel><title>N</title><link>https://news.example/</link>${Array.from({ length: ITEMS }, (_, i) => `<item><title>Story ${i}</title><link>${link(i)}</link></item>`).join('')}</channel></rss>`,
  'atom 1.0': `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>N</title><id>urn:n</id><updated>2024-01-01T00:00:00Z</updated>${Array.from({ length: ITEMS }, (_, i) => `<entry><title type="html">Story ${i}</title><id>urn:${i}</id><link rel="alternate" href="${link(i)}"/><published>2024-01-01T00:00:00Z</published><updated>2024-01-02T00:00:00Z</updated><summary>Lead</summary></entry>`).join('')}</feed>`,
  'rdf 1.0': `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://news.example/"><title>N</title><link>https://news.example/</link></channel>${Array.from({ length: ITEMS }, (_, i) => `<item rdf:about="${link(i)}"><title>Story ${i}</title><link>${link(i)}</link><dc:date>2024-03-01T12:00:00Z</dc:date></item>`).join('')}</rdf:RDF>`,
};

function bomb(): string {
  const levels = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?><!DOCTYPE rss [${levels.join('')}]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>https://news.example/x</link></item></channel></rss>`;
}

interface Parser {
  name: string;
  links(xml: string): string[];
}

const PARSERS: Parser[] = [
  { name: 'feedsmith (ours)', links: (xml) => parseFeedDocument(xml, BASE).links.map((l) => l.url) },
  { name: '@rowanmanning/feed-parser', links: (xml) => peerParseFeed(xml).items.map((item) => item.url ?? '').filter(Boolean) },
];

function measure(parser: Parser) {
  let found = 0;
  let expected = 0;
  const perFormat: string[] = [];
  for (const [format, xml] of Object.entries(FEEDS)) {
    let links: string[] = [];
    try {
      links = parser.links(xml);
    } catch {
      links = [];
    }
    const want = new Set(Array.from({ length: ITEMS }, (_, i) => link(i)));
    const got = links.filter((l) => want.has(l)).length;
    found += got;
    expected += want.size;
    perFormat.push(`${format} ${got}/${want.size}`);
  }
  const all = Object.values(FEEDS);
  for (const xml of all) parser.links(xml);
  const started = process.hrtime.bigint();
  for (let pass = 0; pass < PASSES; pass++) for (const xml of all) {
    try {
      parser.links(xml);
    } catch {
      // counted above
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const bombStarted = Date.now();
  let bombOutcome: string;
  try {
    const links = parser.links(bomb());
    bombOutcome = `read ${links.length} link(s), nothing expanded`;
  } catch (error) {
    bombOutcome = `refused (${(error as Error).message.slice(0, 40)})`;
  }
  const bombMs = Date.now() - bombStarted;
  return { recall: found / expected, perFormat, feedsPerSecond: (PASSES * all.length) / seconds, bombMs, bombOutcome };
}

const results = PARSERS.map((parser) => ({ parser, ...measure(parser) }));
console.log(`${ITEMS}-item feeds, ${PASSES} passes over ${Object.keys(FEEDS).length} formats\n`);
for (const r of results) {
  console.log(`${r.parser.name.padEnd(28)} links ${(r.recall * 100).toFixed(1)}% (${r.perFormat.join(', ')})  ${r.feedsPerSecond.toFixed(0)} feeds/s  bomb ${r.bombMs} ms: ${r.bombOutcome}`);
}
const ours = results[0]!;
const peer = results[1]!;
console.log(`\nfeedsmith: ${(ours.feedsPerSecond / peer.feedsPerSecond).toFixed(2)}× the peer's speed`);
const failures = [
  ours.recall < FLOOR_LINK_RECALL ? `link recall ${ours.recall} below ${FLOOR_LINK_RECALL}` : null,
  ours.feedsPerSecond / peer.feedsPerSecond < FLOOR_SPEED_RATIO
    ? `${(ours.feedsPerSecond / peer.feedsPerSecond).toFixed(2)}× the peer's speed, below ${FLOOR_SPEED_RATIO}×`
    : null,
  ours.bombMs > FLOOR_BOMB_MS ? `entity bomb took ${ours.bombMs} ms (floor ${FLOOR_BOMB_MS})` : null,
].filter(Boolean);
if (failures.length > 0) {
  console.error(`\nbelow the floor: ${failures.join('; ')}`);
  process.exit(1);
}
