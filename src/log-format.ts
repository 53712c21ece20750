/**
 * How a log record is written: `json` (one JSON object per line, for collectors) or `pretty`
 * (for a person at a terminal: time, level, message, then the fields as key=value). Pure.
 */

export type LogFormat = 'pretty' | 'json';

export interface LogRecord {
  time: string;
  level: string;
  message: string;
  [field: string]: unknown;
}

export function formatLogLine(format: LogFormat, record: LogRecord): string {
  if (format === 'json') return `${JSON.stringify(record)}\n`;
  const { time, level, message, ...fields } = record;
  const pairs = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${prettyValue(value)}`);
  // HH:MM:SS.mmm of the UTC instant: enough to follow a run, the full instant is in json.
  const clock = time.slice(11, 23);
  return `${clock} ${level.toUpperCase().padEnd(5)} ${message}${pairs.length ? `  ${pairs.join(' ')}` : ''}\n`;
}

function prettyValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
