/**
 * The extraction pool: long-lived threads return the same article as in-process extraction; a
 * page over its time or memory budget ends as PageTooComplexError, its thread is replaced and
 * the pool keeps serving; a thread that cannot start is reported, not retried forever; the
 * thread's code resolves from the TypeScript sources (here) and from the compiled dist/.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/index.ts';
import { silentLogger } from '../../src/log.ts';
import {
  ExtractionPool, FETCH_ROLE_YOUNG_GENERATION_MB, LEAN_YOUNG_GENERATION_MB, PageTooComplexError, threadEntry, threadYoungGenerationMb, TOO_COMPLEX,
} from '../../workers/extraction-pool.ts';
import { GOLDEN_PAGE, goldenVariant } from '../helpers/article-site-server.ts';
import { LONG_TEXT_PAGE } from '../helpers/heavy-page.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OPTIONS = { url: 'https://theiranproject.com/vdcjhhe8auqemaz.92fu.html', retrievedAt: '2024-05-01T10:00:00Z', now: new Date('2024-05-01T10:00:00Z') };

/** A page of 2 million `<br>` after a short article: 8 MB of markup. */
const BR_PAGE = `<html><head><title>Heavy</title></head><body><article><p>${'A paragraph of the article, long enough to count. '.repeat(4)}</p>${'<br>'.repeat(2_000_000)}</article></body></html>`;


describe('ExtractionPool', () => {
  let pool: ExtractionPool;

  beforeAll(async () => {
    pool = new ExtractionPool({ threads: 2, timeoutMs: 20_000, memoryMb: 128, logger: silentLogger });
    await pool.ready;
  }, 60_000);

  afterAll(async () => {
    await pool?.close();
  });

  it('returns what in-process extraction returns, on long-lived threads', async () => {
    const threads = pool.threadIds;
    expect(threads).toHaveLength(2);
    const pages = Array.from({ length: 12 }, (_, n) => goldenVariant(n));
    const results = await Promise.all(pages.map((html) => pool.extract(html, OPTIONS)));
    results.forEach((result, n) => expect(result).toEqual(extractArticle(pages[n]!, OPTIONS)));
    expect(results[0]!.article.text).toContain('(meeting 0)');
    // No thread was started per page.
    expect(pool.threadIds).toEqual(threads);
  });

  it('passes site profiles to the threads, and a change of profiles too', async () => {
    const profile = (title: string) => ({
      name: 'test-title', version: 1, hosts: ['theiranproject.com'], language: null, timeZone: null,
      selectors: { body: [], title: [title], date: [], storyCode: [], author: [] }, remove: [], boilerplatePatterns: [],
    });
    const withH1 = [profile('h1')] as never;
    const first = await pool.extract(GOLDEN_PAGE, { ...OPTIONS, profiles: withH1 });
    expect(first).toEqual(extractArticle(GOLDEN_PAGE, { ...OPTIONS, profiles: withH1 }));
    expect(first.article.extractor).toBe('profile:test-title@1');
    // Back to no user profile: the built-in one for this site applies again, on every thread.
    for (let i = 0; i < 4; i++) {
      const none = await pool.extract(GOLDEN_PAGE, { ...OPTIONS, profiles: [] });
      expect(none).toEqual(extractArticle(GOLDEN_PAGE, { ...OPTIONS, profiles: [] }));
      expect(none.article.extractor).not.toBe('profile:test-title@1');
    }
  });
});

describe('ExtractionPool budgets', () => {
  it('ends a page over its time budget as too-complex, replaces that thread and keeps serving', async () => {
    const pool = new ExtractionPool({ threads: 2, timeoutMs: 10, memoryMb: 128, logger: silentLogger });
    try {
      await pool.ready;
      const before = pool.threadIds;
      const heavy = pool.extract(BR_PAGE, OPTIONS);
      await expect(heavy).rejects.toBeInstanceOf(PageTooComplexError);
      await expect(heavy).rejects.toMatchObject({ reason: TOO_COMPLEX, message: 'extraction took longer than 10 ms' });
      const after = pool.threadIds;
      expect(after).toHaveLength(2);
      expect(after.filter((id) => before.includes(id))).toHaveLength(1);
      // The pool keeps serving: a tiny page is done long before 10 ms even on a loaded machine
      // most of the time; it must at least never fail for another reason.
      const small = await pool.extract('<html><body><p>Short.</p></body></html>', OPTIONS).catch((error: Error) => error);
      if (small instanceof Error) expect(small).toBeInstanceOf(PageTooComplexError);
      else expect(small.article.text).toBe('Short.');
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('ends a page over its memory budget as too-complex (the thread dies of it) and replaces the thread', async () => {
    // 40 MB: enough for a thread to load the extractor (at 24 MB a start-up itself sometimes ran
    // out, which the pool rightly reports as a broken thread), far below the 64 MB this page needs.
    const pool = new ExtractionPool({ threads: 1, timeoutMs: 60_000, memoryMb: 40, logger: silentLogger });
    try {
      await pool.ready;
      const [before] = pool.threadIds;
      const heavy = pool.extract(LONG_TEXT_PAGE, OPTIONS);
      await expect(heavy).rejects.toBeInstanceOf(PageTooComplexError);
      await expect(heavy).rejects.toThrow('extraction needed more than 40 MB');
      const next = await pool.extract(goldenVariant(7), OPTIONS);
      expect(next.article.text).toContain('(meeting 7)');
      expect(pool.threadIds[0]).not.toBe(before);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('keeps the memory budget of its threads when the process runs with heap flags (as the bin runs a worker)', () => {
    // V8's heap flags are process-wide and would outrank a thread's resourceLimits: the page
    // that needs some tens of MB would then extract within the process's 300 MB.
    const flags = ['--max-old-space-size=300', '--max-semi-space-size=16', '--import', 'tsx'];
    const out = execFileSync(process.execPath, [...flags, join(ROOT, 'tests/helpers/pool-under-heap-flags.ts'), '40'], { encoding: 'utf8', timeout: 60_000 });
    const { mainHeapLimitMb, outcome } = JSON.parse(out.trim().split('\n').at(-1)!) as { mainHeapLimitMb: number; outcome: string };
    expect(outcome).toBe('extraction needed more than 40 MB');
    expect(mainHeapLimitMb).toBeGreaterThanOrEqual(300); // the main thread keeps the limits it started with
  }, 60_000);

  it('gives its threads the young generation asked for, else the lean one', async () => {
    const lean = new ExtractionPool({ threads: 1, timeoutMs: 10_000, memoryMb: 64, logger: silentLogger });
    const roomy = new ExtractionPool({ threads: 2, timeoutMs: 10_000, memoryMb: 64, youngGenerationMb: FETCH_ROLE_YOUNG_GENERATION_MB, logger: silentLogger });
    try {
      await Promise.all([lean.ready, roomy.ready]);
      expect(lean.threadResourceLimits.map((limits) => limits.maxYoungGenerationSizeMb)).toEqual([LEAN_YOUNG_GENERATION_MB]);
      expect(roomy.threadResourceLimits.map((limits) => limits.maxYoungGenerationSizeMb)).toEqual([16, 16]);
      expect(roomy.threadResourceLimits[0]!.maxOldGenerationSizeMb).toBe(64);
    } finally {
      await Promise.all([lean.close(), roomy.close()]);
    }
  });

  it('spends the larger young generation only where the process does not store too', () => {
    expect(threadYoungGenerationMb(false)).toBe(FETCH_ROLE_YOUNG_GENERATION_MB);
    expect(threadYoungGenerationMb(true)).toBe(LEAN_YOUNG_GENERATION_MB);
    expect(FETCH_ROLE_YOUNG_GENERATION_MB).toBeGreaterThan(LEAN_YOUNG_GENERATION_MB);
  });

  it('extracts the 8 MB page of <br> with bounded cost: the markup guard caps the elements', async () => {
    const pool = new ExtractionPool({ threads: 1, timeoutMs: 20_000, memoryMb: 128, logger: silentLogger });
    try {
      await pool.ready;
      const result = await pool.extract(BR_PAGE, OPTIONS);
      expect(result.article.text).toContain('A paragraph of the article');
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('reports a thread that cannot start through ready and every page, without restarting it', async () => {
    const missing = { url: new URL('./no-such-thread.js', import.meta.url), execArgv: [] };
    const pool = new ExtractionPool({ threads: 1, timeoutMs: 1000, memoryMb: 64, logger: silentLogger, entry: missing });
    try {
      await expect(pool.ready).rejects.toThrow(/could not start/);
      await expect(pool.extract(GOLDEN_PAGE, OPTIONS)).rejects.toThrow(/could not start/);
    } finally {
      await pool.close();
    }
  });

  it('rejects pages after close', async () => {
    const pool = new ExtractionPool({ threads: 1, timeoutMs: 1000, memoryMb: 64, logger: silentLogger });
    await pool.close();
    await expect(pool.extract(GOLDEN_PAGE, OPTIONS)).rejects.toThrow('closed');
  });
});

describe('the thread entry', () => {
  it('is the TypeScript source under the sources, the compiled file under dist/, both run by plain node', () => {
    const source = threadEntry('file:///app/workers/extraction-pool.ts');
    expect(source.url.href).toBe('file:///app/workers/extraction-thread.ts');
    expect(source.execArgv).toEqual([]);
    const compiled = threadEntry('file:///app/dist/workers/extraction-pool.js');
    expect(compiled.url.href).toBe('file:///app/dist/workers/extraction-thread.js');
    expect(compiled.execArgv).toEqual([]);
  });

  it('runs from the compiled dist/ with plain node, as the bin does', () => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
    const script = `
      import { ExtractionPool } from './dist/workers/extraction-pool.js';
      import { silentLogger } from './dist/src/log.js';
      const pool = new ExtractionPool({ threads: 1, timeoutMs: 20000, memoryMb: 64, logger: silentLogger });
      await pool.ready;
      const { article } = await pool.extract('<html><body><article><p>Compiled threads extract this paragraph of text.</p></article></body></html>', {});
      await pool.close();
      process.stdout.write(JSON.stringify({ text: article.text }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ text: "Compiled threads extract this paragraph of text." });
  }, 120_000);
});
