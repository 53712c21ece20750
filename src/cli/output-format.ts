/**
 * Rendering records for the terminal and for programs: table, json, ndjson, csv. Pure: the
 * streaming writer (record-stream.ts) writes these pieces one record at a time.
 */
import { cutToWidth, displayWidth, padToWidth } from './terminal.ts';

export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The formats a stream of any length can be written in (a table needs every row to align). */
export const STREAM_FORMATS = ['ndjson', 'csv', 'json'] as const;
export type StreamFormat = (typeof STREAM_FORMATS)[number];

/** Narrowest the shrinking column (the title) gets on a narrow terminal: still readable. */
const SHRINK_COLUMN_MIN_WIDTH = 20;

/** Space between table columns. */
const COLUMN_GAP = '  ';

export function formatRecords(records: readonly object[], format: OutputFormat, tableColumns: readonly string[]): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(records, null, 2)}\n`;
    case 'ndjson':
      return records.map((record) => `${JSON.stringify(record)}\n`).join('');
    case 'csv': {
      const first = records[0];
      if (!first) return '';
      const columns = Object.keys(first);
      return csvHeader(columns) + records.map((record) => csvRow(record as Record<string, unknown>, columns)).join('');
    }
    case 'table':
      return formatTable(records as readonly Record<string, unknown>[], tableColumns);
  }
}

/** RFC 4180 CSV: every field of the first record as a column; arrays joined with "; ". */
export function formatCsv(records: readonly Record<string, unknown>[]): string {
  return formatRecords(records, 'csv', []);
}

export function csvHeader(columns: readonly string[]): string {
  return `${columns.map(csvField).join(',')}\r\n`;
}

export function csvRow(record: Record<string, unknown>, columns: readonly string[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += ',';
    line += csvField(cellText(record[columns[i]!]));
  }
  return `${line}\r\n`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export interface TableOptions {
  /**
   * Terminal width: when the table is wider, `shrinkColumn` is cut to fit ("…"); every other
   * column (URLs above all) stays whole so it can be copied. Undefined: no limit (not a TTY).
   */
  maxWidth?: number;
  shrinkColumn?: string;
}

/** An aligned table; widths are display widths (CJK two columns, combining marks none). */
export function formatTable(records: readonly Record<string, unknown>[], columns: readonly string[], options: TableOptions = {}): string {
  if (records.length === 0) return '(no rows)\n';
  let rows = records.map((record) => columns.map((column) => cellText(record[column]).replace(/\s+/g, ' ').trim()));
  let widths = columnWidths(columns, rows);
  const shrinkIndex = options.shrinkColumn === undefined ? -1 : columns.indexOf(options.shrinkColumn);
  if (options.maxWidth !== undefined && shrinkIndex !== -1) {
    const total = widths.reduce((sum, w) => sum + w, 0) + COLUMN_GAP.length * (columns.length - 1);
    if (total > options.maxWidth) {
      const room = Math.max(SHRINK_COLUMN_MIN_WIDTH, widths[shrinkIndex]! - (total - options.maxWidth));
      rows = rows.map((row) => row.map((cell, i) => (i === shrinkIndex ? cutToWidth(cell, room) : cell)));
      widths = columnWidths(columns, rows);
    }
  }
  const render = (cells: readonly string[]) => cells.map((cell, i) => padToWidth(cell, widths[i]!)).join(COLUMN_GAP).trimEnd();
  return `${[render(columns), render(widths.map((w) => '-'.repeat(w))), ...rows.map(render)].join('\n')}\n`;
}

function columnWidths(columns: readonly string[], rows: readonly string[][]): number[] {
  return columns.map((column, i) => Math.max(displayWidth(column), ...rows.map((row) => displayWidth(row[i]!))));
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cellText).join('; ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
