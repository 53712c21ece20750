/// <reference lib="dom" />
/**
 * The browse page in a real browser: Debian's chromium driven by playwright-core, one launch
 * for the whole file. Screenshots go to test-artifacts/screenshots/ (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { article, startServeFixture, type ServeFixture } from './serve-fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`browse-page tests skipped: ${CHROMIUM} is missing and could not be installed (.ci/run runs \`apt-get install -y chromium\`)`);
}

const PERSIAN = 'صادرات نفت ایران در ماه گذشته افزایش یافت و وزارت نفت این خبر را اعلام کرد.\n\nکارشناسان می‌گویند این روند ادامه دارد.';

function seed() {
  const oil = { title: 'Oil exports rise in July', storyCode: '269797', authors: ['Jane Roe'], publishedAt: '2017-07-25T22:43:00+04:30', publishedAtUtc: '2017-07-25T18:13:00Z' };
  const rows = [
    // Stored, then corrected: two versions.
    article(1, { ...oil, text: 'Exports of crude oil rose in July, the ministry said.\n\nTraders expect more shipments next month.' }),
    article(1, { ...oil, text: 'Exports of crude oil rose sharply in July, the ministry said.\n\nTraders expect more shipments next month.' }),
    article(2, { site: 'irna.ir', url: 'https://irna.ir/news/2', canonicalUrl: 'https://irna.ir/news/2', title: 'افزایش صادرات نفت', language: 'fa', storyCode: '83245', publishedAt: '2017-07-24T10:00:00+04:30', publishedAtUtc: '2017-07-24T05:30:00Z', text: PERSIAN }),
  ];
  // A month of articles on three sites, for the chart.
  const sites = ['news.example', 'irna.ir', 'tehrantimes.example'];
  for (let day = 0; day < 24; day++) {
    for (let k = 0; k <= day % 4; k++) {
      const site = sites[(day + k) % 3]!;
      const date = new Date(Date.UTC(2017, 6, 1 + day, 8 + k)).toISOString().replace(/\.\d{3}Z$/, 'Z');
      rows.push(article(100 + day * 10 + k, { site, url: `https://${site}/n/${day}-${k}`, canonicalUrl: `https://${site}/n/${day}-${k}`, title: `Daily report ${day}-${k}`, publishedAt: date, publishedAtUtc: date }));
    }
  }
  return rows;
}

describe.skipIf(!haveChromium)('the browse page in Chromium', () => {
  let fx: ServeFixture;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    fx = await startServeFixture({}, seed());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  it('searches a term from the labelled search box (a GET form) and shows highlighted results', async () => {
    await page.goto(`${fx.server.url}/`);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    await page.getByLabel('Search articles').fill('crude oil');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/\?q=crude\+oil/);
    const first = page.locator('ol.results li').first();
    expect(await first.locator('h2').innerText()).toBe('Oil exports rise in July');
    expect(await first.locator('mark').allInnerTexts()).toEqual(expect.arrayContaining(['crude', 'oil']));
    // The publisher's own zone, as the page stated it.
    expect(await first.locator('time').innerText()).toBe('25 Jul 2017, 22:43 (UTC+04:30)');
    for (const id of ['q', 'site', 'language', 'since', 'until']) {
      expect(await page.locator(`label[for="${id}"]`).count(), `label for #${id}`).toBe(1);
    }
    await page.screenshot({ path: `${SCREENSHOTS}search.png`, fullPage: true });
  });

  it('opens an article: clean text, metadata, story code', async () => {
    await page.locator('ol.results li h2 a').first().click();
    await page.waitForURL(/\/articles\/\d+$/);
    expect(await page.locator('h1').innerText()).toBe('Oil exports rise in July');
    expect(await page.locator('article .text p').count()).toBe(2);
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).toContain('269797');
    expect(facts).toContain('Jane Roe');
    expect(facts).toContain('2017-07-25T18:13:00Z');
    expect(await page.locator('ol.versions > li').count()).toBe(2);
    await page.getByText('Changes from version 1').click();
    expect(await page.locator('ol.versions .diff ins').allInnerTexts()).toEqual(['sharply ']);
    await page.screenshot({ path: `${SCREENSHOTS}article.png`, fullPage: true });
  });

  it('shows a Persian article right to left', async () => {
    await page.goto(`${fx.server.url}/?language=fa`);
    const result = page.locator('ol.results li article').first();
    expect(await result.getAttribute('dir')).toBe('rtl');
    await result.locator('h2 a').click();
    await page.waitForURL(/\/articles\/\d+$/);
    const body = page.locator('article#article');
    expect(await body.getAttribute('lang')).toBe('fa');
    expect(await body.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await body.locator('h1').innerText()).toBe('افزایش صادرات نفت');
    // Right to left: the heading's text ends at the right edge of the article, not the left.
    const [heading, box] = await Promise.all([body.locator('h1').evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const r = range.getBoundingClientRect();
      return { left: r.left, right: r.right };
    }), body.boundingBox()]);
    expect(Math.abs(heading.right - (box!.x + box!.width))).toBeLessThan(2);
    expect(heading.left - box!.x).toBeGreaterThan(50);
    await page.screenshot({ path: `${SCREENSHOTS}persian-article.png`, fullPage: true });
  });

  it('shows the status view with its chart of articles per day per site', async () => {
    await page.goto(`${fx.server.url}/status`);
    const chart = page.locator('svg#daily-chart');
    expect(await chart.isVisible()).toBe(true);
    expect(await chart.locator('rect').count()).toBeGreaterThan(20);
    expect(await chart.getAttribute('role')).toBe('img');
    expect((await page.locator('figcaption .legend li').allInnerTexts()).map((t) => t.trim())).toEqual(expect.arrayContaining(['irna.ir', 'news.example', 'tehrantimes.example']));
    expect(await page.locator('h2', { hasText: 'Failures by reason' }).count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}status.png`, fullPage: true });
  });
});
