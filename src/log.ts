import { formatLogLine, type LogFormat, type LogRecord } from './log-format.ts';

/**
 * A small leveled logger: one JSON object per line on stderr, so stdout stays clean for the
 * commands' own output (ndjson, csv) and log collectors can parse every line.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line),
  format: LogFormat = 'json',
): Logger {
  const threshold = LEVEL_RANK[level];
  const emit = (at: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>) => {
    if (LEVEL_RANK[at] < threshold) return;
    write(formatLogLine(format, logRecord(at, message, fields)));
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}

/** The keys every line starts with; a field of the same name is kept under another key. */
const RESERVED_KEYS: Record<string, string> = { time: 'fieldTime', level: 'fieldLevel', message: 'detail' };

/**
 * One log line's object. A field named like a reserved key (an error's `message`, most often)
 * is renamed instead of replacing the line's own message.
 */
function logRecord(level: Exclude<LogLevel, 'silent'>, message: string, fields: Record<string, unknown> = {}): LogRecord {
  const record: LogRecord = { time: new Date().toISOString(), level, message };
  for (const [key, value] of Object.entries(fields)) record[RESERVED_KEYS[key] ?? key] = value;
  return record;
}

export const silentLogger: Logger = createLogger('silent');
