import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { UsageError } from '../../src/errors.ts';
import { parseCron, parseEvery, parsePattern } from '../../src/cli/source-context.ts';
import { scheduleFromFlags } from '../../src/cli/source.ts';

const config = parseConfig({ SOURCE_DEFAULT_EVERY: '2h', SOURCE_MIN_INTERVAL: '10m', SOURCE_MAX_INTERVAL: '1d' });

describe('source schedule flags', () => {
  it('accepts intervals of 5 s and more, and refuses bad ones with a usage error naming the flag', () => {
    expect(parseEvery('5s')).toBe(5_000);
    expect(() => parseEvery('4s')).toThrow(/--every 4s is shorter than 5s/);
    expect(() => parseEvery('soon')).toThrow(UsageError);
  });

  it('validates cron expressions and regular expressions', () => {
    expect(parseCron('*/10 * * * *')).toBe('*/10 * * * *');
    expect(() => parseCron('every tuesday')).toThrow(/--cron "every tuesday" is not a cron expression/);
    // A seconds field may not poll faster than --every allows.
    expect(() => parseCron('*/2 * * * * *')).toThrow(/--cron "\*\/2 \* \* \* \* \*" runs 2s apart, more often than every 5s/);
    expect(() => parseCron('0,1 0 * * * *')).toThrow(/runs 1s apart/);
    expect(parseCron('*/5 * * * * *')).toBe('*/5 * * * * *');
    expect(parseCron('0 */6 * * *')).toBe('0 */6 * * *');
    expect(parsePattern('/news/\\d+')).toBe('/news/\\d+');
    expect(() => parsePattern('(unclosed')).toThrow(/--pattern "\(unclosed" is not a regular expression/);
  });

  it('makes a source adaptive from SOURCE_DEFAULT_EVERY unless --every or --cron is given', () => {
    expect(scheduleFromFlags(config, {})).toEqual({ everyMs: null, cron: null, adaptive: true, intervalMs: 2 * 3_600_000 });
    expect(scheduleFromFlags(config, { every: '30s' })).toEqual({ everyMs: 30_000, cron: null, adaptive: false, intervalMs: 30_000 });
    expect(scheduleFromFlags(config, { every: '30s', adaptive: true })).toMatchObject({ adaptive: true, intervalMs: 30_000 });
    expect(scheduleFromFlags(config, { cron: '0 * * * *' })).toEqual({ everyMs: null, cron: '0 * * * *', adaptive: false, intervalMs: null });
    expect(() => scheduleFromFlags(config, { every: '1m', cron: '0 * * * *' })).toThrow(/not both/);
  });

  it('reads the source variables from the environment', () => {
    expect(parseConfig({})).toMatchObject({ SOURCE_DEFAULT_EVERY: 900_000, SOURCE_MIN_INTERVAL: 300_000, SOURCE_MAX_INTERVAL: 86_400_000, REFRESH_SCHEDULE: [3_600_000, 21_600_000, 86_400_000, 604_800_000] });
    expect(() => parseConfig({ SOURCE_MIN_INTERVAL: 'often' })).toThrow(/SOURCE_MIN_INTERVAL="often"/);
    expect(() => parseConfig({ REFRESH_SCHEDULE: '1h,later' })).toThrow(/REFRESH_SCHEDULE/);
  });
});
