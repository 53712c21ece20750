/** `ingest extract` and `ingest import` through the real command, on the project's fixtures. */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain as runCli } from '../helpers/run-main.ts';

const fixture = (path: string) => new URL(`../fixtures/${path}`, import.meta.url).pathname;
const GOLDEN_PAGE = fixture('pages/theiranproject-269797/page.html');
const GOLDEN_URL = 'https://theiranproject.com/vdcjhhe8auqemaz.92fu.html';
const DUMPS = ['theiranproject-269797', 'interior-ministers-2019'];

let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-cli-'));
  env = { DATABASE_PATH: join(dir, 'articles.db'), LOG_LEVEL: 'silent' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fold = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('ingest extract', () => {
  it('extracts the golden page with its URL, without Redis', async () => {
    const result = await runCli(['extract', GOLDEN_PAGE, '--url', GOLDEN_URL], { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.code).toBe(0);
    const article = JSON.parse(result.stdout) as Record<string, string>;
    const expected = JSON.parse(readFileSync(fixture('pages/theiranproject-269797/expected.json'), 'utf8')) as Record<string, string>;
    expect(article['file']).toBe('page.html');
    for (const field of ['url', 'site', 'title', 'storyCode', 'credit', 'language', 'publishedAt', 'publishedPrecision']) {
      expect(article[field], field).toEqual(expected[field]);
    }
    expect(fold(article['text']!)).toBe(fold(expected['text']!));
  });

  it('prints one article per line with its file for several pages and dumps (ndjson)', async () => {
    const files = [GOLDEN_PAGE, ...DUMPS.map((name) => fixture(`text-dumps/${name}.txt`))];
    const result = await runCli(['extract', ...files, '--format', 'ndjson'], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line['file'])).toEqual(['page.html', 'theiranproject-269797.txt', 'interior-ministers-2019.txt']);
    expect(lines[2]).toMatchObject({ publishedAt: '2019-03-04', publishedPrecision: 'day', extractor: 'text-dump@1' });
  });

  it('reports an empty page as {file, error} on stderr with exit 1, never as an article', async () => {
    const empty = join(dir, 'empty.html');
    writeFileSync(empty, '<html><body></body></html>');
    const result = await runCli(['extract', empty], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr)).toMatchObject({ file: 'empty.html', error: expect.any(String) });
    const missing = await runCli(['extract', join(dir, 'nope.html')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
  });

  it('exits 1 when any of several inputs failed; ndjson carries failures as error records', async () => {
    const binary = join(dir, 'program.bin');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]));
    const json = await runCli(['extract', GOLDEN_PAGE, binary], env);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as unknown[]).length).toBe(1);
    expect(JSON.parse(json.stderr)).toEqual({ file: 'program.bin', error: 'a binary file, not an HTML page or a text dump' });
    const ndjson = await runCli(['extract', GOLDEN_PAGE, binary, join(dir, 'nope.html'), '--format', 'ndjson'], env);
    expect(ndjson.code).toBe(1);
    const records = ndjson.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((r) => Object.keys(r).includes('error'))).toEqual([false, true, true]);
    expect(records[1]).toEqual({ file: 'program.bin', error: expect.stringContaining('binary') });
  });

  it('reads a page from standard input with -', async () => {
    const result = await runCli(['extract', '-', '--url', GOLDEN_URL], env, { stdin: readFileSync(GOLDEN_PAGE) });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ file: '-', storyCode: '269797' });
  });
});

describe('SITE_PROFILES_PATH', () => {
  it('applies a user profile from the file, and stops with the bad field named when it does not validate', async () => {
    const page = join(dir, 'profiled.html');
    writeFileSync(
      page,
      '<html><body><div class="promo"><p>Subscribe to our newsletter for the best stories every single morning, free.</p></div>' +
        '<div class="story"><p>Article number <b>7781</b> begins here with a sentence long enough to count as a paragraph.</p>' +
        '<p>The second paragraph carries on with more of the same story, and it is long enough too.</p></div>' +
        '<span class="when">03/04/2019 10:15</span></body></html>',
    );
    const profiles = join(dir, 'profiles.json');
    writeFileSync(
      profiles,
      JSON.stringify([
        { name: 'news.example', hosts: ['news.example'], selectors: { body: ['.story'], date: ['.when'] }, remove: ['.promo'], timeZone: 'Europe/Paris', dayFirst: true },
      ]),
    );
    const good = await runCli(['extract', page, '--url', 'https://www.news.example/a/7781'], { ...env, SITE_PROFILES_PATH: profiles });
    expect(good.code).toBe(0);
    const article = JSON.parse(good.stdout) as Record<string, string>;
    expect(article['extractor']).toBe('profile:news.example@1');
    expect(article['publishedAt']).toBe('2019-04-03T10:15:00+02:00');
    expect(article['text']).not.toContain('newsletter');

    writeFileSync(profiles, JSON.stringify([{ name: 'x', hosts: ['x.example'], timeZone: 'Mars/Olympus' }]));
    const bad = await runCli(['extract', page], { ...env, SITE_PROFILES_PATH: profiles });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('[0].timeZone: not an IANA time zone');
  });
});

describe('ingest import', () => {
  it('stores dumps from a folder, and re-importing changes nothing', async () => {
    const dumps = join(dir, 'dumps');
    mkdirSync(dumps);
    for (const name of DUMPS) copyFileSync(fixture(`text-dumps/${name}.txt`), join(dumps, `${name}.txt`));
    const first = await runCli(['import', dumps], env);
    expect(first.stdout).toContain('imported 2 new, 0 updated, 0 unchanged, 0 refused');
    expect(first.code).toBe(0);
    const again = await runCli(['import', dumps], env);
    expect(again.stdout).toContain('imported 0 new, 0 updated, 2 unchanged');

    const query = await runCli(['query', '--story-code', '269797', '--format', 'json'], env);
    const [article] = JSON.parse(query.stdout) as Array<Record<string, unknown>>;
    expect(article).toMatchObject({ site: 'theiranproject.com', credit: 'FNA', publishedAt: '2017-07-25T22:43:00+04:30' });
    const bySearch = await runCli(['query', '--search', 'Soylu', '--format', 'json'], env);
    expect((JSON.parse(bySearch.stdout) as Array<{ publishedAt: string }>).map((a) => a.publishedAt)).toEqual(['2019-03-04']);
  });

  it('refuses binary files and HTML pages with the reason, and a folder without .txt files', async () => {
    const elf = join(dir, 'ls.txt');
    writeFileSync(elf, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64, 0)]));
    const html = join(dir, 'saved.txt');
    writeFileSync(html, '<!DOCTYPE html><html><head><title>A page</title></head><body><p>Markup</p></body></html>');
    const result = await runCli(['import', elf, html], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('imported 0 new, 0 updated, 0 unchanged, 2 refused');
    expect(result.stderr).toContain(`${elf}: not imported: a binary file`);
    expect(result.stderr).toContain(`${html}: not imported: an HTML page, not a plain-text dump: use \`ingest extract`);
    const folder = join(dir, 'pages-only');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.html'), '<html></html>');
    const empty = await runCli(['import', folder], env);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no .txt files in the folder');
  });

  it('is a usage error without paths or with a path that does not exist', async () => {
    expect((await runCli(['import'], env)).code).toBe(2);
    const missing = await runCli(['import', join(dir, 'nowhere')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder');
  });
});
