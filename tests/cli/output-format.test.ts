import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatCsv, formatRecords, formatTable } from '../../src/cli/output-format.ts';
import { writeRecords } from '../../src/cli/record-stream.ts';
import { colourAllowed, displayWidth, forStream } from '../../src/cli/terminal.ts';

const records = [
  { title: 'Plain', authors: ['A', 'B'], text: 'one' },
  { title: 'Comma, "quote"', authors: [], text: 'line\nbreak' },
];

async function streamed(format: 'ndjson' | 'csv' | 'json', rows: Array<Record<string, unknown>>): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk) => (text += chunk));
  await writeRecords(rows, format, out, { fields: ['title', 'authors', 'text'] });
  return text;
}

describe('output formats', () => {
  it('csv quotes commas, quotes and line breaks (RFC 4180) and joins lists', async () => {
    const expected = 'title,authors,text\r\nPlain,A; B,one\r\n"Comma, ""quote""",,"line\nbreak"\r\n';
    expect(formatCsv(records)).toBe(expected);
    expect(await streamed('csv', records)).toBe(expected);
  });

  it('ndjson is one JSON object per line; json is one array, streamed or not', async () => {
    expect((await streamed('ndjson', records)).trim().split('\n').map((line) => JSON.parse(line))).toEqual(records);
    expect(JSON.parse(await streamed('json', records))).toEqual(records);
    expect(JSON.parse(await streamed('json', []))).toEqual([]);
    expect(JSON.parse(formatRecords(records, 'json', []))).toEqual(records);
  });

  it('table aligns by display width: CJK takes two columns, Arabic vowel marks none', () => {
    expect(displayWidth('東京')).toBe(4);
    expect(displayWidth('مُحَمَّد')).toBe(4);
    const table = formatTable([{ title: '東京の記事', url: 'u1' }, { title: 'مُحَمَّد', url: 'u2' }, { title: 'plain', url: 'u3' }], ['title', 'url']);
    const lines = table.trimEnd().split('\n');
    const urlColumn = lines.slice(2).map((line) => displayWidth(line.slice(0, line.indexOf('u'))));
    expect(new Set(urlColumn).size).toBe(1);
  });

  it('on a narrow terminal cuts the title, never the URL; without a width prints everything', () => {
    const url = `https://example.com/${'a'.repeat(90)}`;
    const rows = [{ title: 'x'.repeat(100), url }];
    const narrow = formatTable(rows, ['title', 'url'], { maxWidth: 140, shrinkColumn: 'title' });
    const row = narrow.split('\n')[2]!;
    expect(row).toContain(url);
    expect(row).toContain('…');
    expect(displayWidth(row)).toBeLessThanOrEqual(140);
    expect(formatTable(rows, ['title', 'url'])).toContain('x'.repeat(100));
    expect(formatTable([], ['title'])).toBe('(no rows)\n');
  });

  it('colours only on a TTY, never with NO_COLOR or TERM=dumb', () => {
    expect(colourAllowed({ isTTY: true }, {})).toBe(true);
    expect(colourAllowed({ isTTY: false }, {})).toBe(false);
    expect(colourAllowed({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourAllowed({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(forStream('\u001B[36m--since\u001B[39m', false)).toBe('--since');
  });
});
