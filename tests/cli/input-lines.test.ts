import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS, streamLines } from '../../src/cli/input-lines.ts';

const collect = async (chunks: Array<string | Buffer>) => {
  const lines: string[] = [];
  for await (const line of streamLines(Readable.from(chunks), 'input')) lines.push(line);
  return lines;
};

describe('streamLines', () => {
  it('splits on LF and CRLF across chunk boundaries, multi-byte characters included', async () => {
    const text = Buffer.from('https://a.example/1\r\nhttps://b.example/ü\nlast');
    const chunks = Array.from({ length: text.length }, (_, i) => text.subarray(i, i + 1));
    expect(await collect(chunks)).toEqual(['https://a.example/1', 'https://b.example/ü', 'last']);
  });

  it('cuts an endless line instead of holding it, and goes on with the next', async () => {
    const lines = await collect(['a'.repeat(MAX_LINE_CHARS * 3), 'b'.repeat(MAX_LINE_CHARS), '\nhttps://a.example/\n']);
    expect(lines.map((line) => line.length)).toEqual([MAX_LINE_CHARS, 'https://a.example/'.length]);
  });

  it('stops with a clear error on binary input (NUL bytes), as from /dev/zero', async () => {
    await expect(collect(['https://a.example/\n', Buffer.alloc(65536)])).rejects.toThrow('input is binary (a NUL byte at offset 19), not a list of URLs, one per line');
  });

  it('reads 1,000,000 lines in constant memory', async () => {
    const LINES = 1_000_000;
    const PER_CHUNK = 10_000;
    const chunkText = Array.from({ length: PER_CHUNK }, (_, i) => `https://news.example/section/article-${i}.html`).join('\n') + '\n';
    const source = Readable.from((function* () {
      for (let i = 0; i < LINES / PER_CHUNK; i++) yield Buffer.from(chunkText);
    })());
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let count = 0;
    for await (const line of streamLines(source, 'input')) {
      count += 1;
      if (count % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      if (line.length === 0) throw new Error('empty line');
    }
    expect(count).toBe(LINES);
    // Holding the lines would take over 60 MB of strings; streaming stays within a few chunks.
    expect(peak - before).toBeLessThan(32 * 1024 * 1024);
  });
});
