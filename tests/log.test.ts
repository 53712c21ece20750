import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';

describe('createLogger', () => {
  it('writes one JSON object per line, at or above its level', () => {
    const lines: string[] = [];
    const logger = createLogger('info', (line) => lines.push(line));
    logger.debug('hidden');
    logger.warn('store waiting', { code: 'SQLITE_FULL' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', message: 'store waiting', code: 'SQLITE_FULL' });
  });

  it('keeps the line\'s own message when a field is called message (an error\'s message)', () => {
    const lines: string[] = [];
    createLogger('debug', (line) => lines.push(line)).error('worker error', { message: 'ECONNREFUSED', level: 'x' });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', message: 'worker error', detail: 'ECONNREFUSED', fieldLevel: 'x' });
  });
});
