/** Rendering records for the terminal and for programs: table, json, ndjson, csv. Pure. */

export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Widest a table cell gets before it is cut with "…": keeps one article per terminal line. */
const TABLE_CELL_MAX_WIDTH = 60;

export function formatRecords(
  records: readonly object[],
  format: OutputFormat,
  tableColumns: readonly string[],
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(records, null, 2)}\n`;
    case 'ndjson':
      return records.map((record) => `${JSON.stringify(record)}\n`).join('');
    case 'csv':
      return formatCsv(records as readonly Record<string, unknown>[]);
    case 'table':
      return formatTable(records as readonly Record<string, unknown>[], tableColumns);
  }
}

/** RFC 4180 CSV: every field of the first record as a column; arrays joined with "; ". */
export function formatCsv(records: readonly Record<string, unknown>[]): string {
  const first = records[0];
  if (!first) return '';
  const columns = Object.keys(first);
  const lines = [columns.map(csvField).join(',')];
  for (const record of records) lines.push(columns.map((column) => csvField(cellText(record[column]))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatTable(records: readonly Record<string, unknown>[], columns: readonly string[]): string {
  if (records.length === 0) return '(no rows)\n';
  const rows = records.map((record) => columns.map((column) => clip(cellText(record[column]).replace(/\s+/g, ' '))));
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => [...row[i]!].length)));
  const render = (cells: readonly string[]) =>
    cells.map((cell, i) => cell + ' '.repeat(widths[i]! - [...cell].length)).join('  ').trimEnd();
  return `${[render(columns), render(widths.map((w) => '-'.repeat(w))), ...rows.map(render)].join('\n')}\n`;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cellText).join('; ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function clip(text: string): string {
  const chars = [...text];
  return chars.length > TABLE_CELL_MAX_WIDTH ? `${chars.slice(0, TABLE_CELL_MAX_WIDTH - 1).join('')}…` : text;
}
