import { describe, expect, it } from 'vitest';
import { formatCsv, formatRecords, formatTable } from '../../src/cli/output-format.ts';

const records = [
  { title: 'Plain', authors: ['A', 'B'], text: 'one' },
  { title: 'Comma, "quote"', authors: [], text: 'line\nbreak' },
];

describe('output formats', () => {
  it('csv quotes commas, quotes and line breaks (RFC 4180) and joins lists', () => {
    expect(formatCsv(records)).toBe('title,authors,text\r\nPlain,A; B,one\r\n"Comma, ""quote""",,"line\nbreak"\r\n');
  });

  it('ndjson is one JSON object per line; json is one array', () => {
    const ndjson = formatRecords(records, 'ndjson', []);
    expect(ndjson.trim().split('\n').map((line) => JSON.parse(line))).toEqual(records);
    expect(JSON.parse(formatRecords(records, 'json', []))).toEqual(records);
  });

  it('table aligns the chosen columns, folds whitespace and cuts long cells', () => {
    const table = formatTable([{ title: 'x'.repeat(100), text: 'a\nb' }], ['title', 'text']);
    const [header, rule, row] = table.split('\n');
    expect(header).toMatch(/^title\s+text$/);
    expect(rule).toMatch(/^-{60}  -{4}$/);
    expect(row).toBe(`${'x'.repeat(59)}…  a b`);
    expect(formatTable([], ['title'])).toBe('(no rows)\n');
  });
});
