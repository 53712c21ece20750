import { describe, expect, it } from 'vitest';
import { parseTimeZoneFlag, publicationRange } from '../../src/cli/time-filter.ts';

describe('--since / --until', () => {
  it('reads instants with an offset or Z as the same UTC instant', () => {
    expect(publicationRange('2023-11-02T16:00:00+01:00', undefined, 'UTC')).toEqual(publicationRange('2023-11-02T15:00:00Z', undefined, 'UTC'));
    expect(publicationRange('2023-11-02T16:00:00+01:00', undefined, 'UTC').from).toBe('2023-11-02T15:00:00Z');
    // --until includes the named second, and nothing after it: a 15:17Z article is not before 16:00+01:00.
    expect(publicationRange(undefined, '2023-11-02T16:00:00+01:00', 'UTC').before).toBe('2023-11-02T15:00:01Z');
  });

  it('takes a bare day as that whole day in UTC, or in --tz', () => {
    expect(publicationRange('2023-11-02', '2023-11-02', 'UTC')).toEqual({ from: '2023-11-02T00:00:00Z', before: '2023-11-03T00:00:00Z' });
    expect(publicationRange('2023-11-02', '2023-11-02', 'Asia/Tehran')).toEqual({ from: '2023-11-01T20:30:00Z', before: '2023-11-02T20:30:00Z' });
    // A time without an offset is read in the zone, with its daylight-saving rules.
    expect(publicationRange('2023-07-01T12:00', undefined, 'Europe/Paris').from).toBe('2023-07-01T10:00:00Z');
    expect(publicationRange('2023-07-01T12:00:00.250Z', undefined, 'UTC').from).toBe('2023-07-01T12:00:01Z');
  });

  it('refuses impossible dates, other forms and unknown zones, naming the flag', () => {
    expect(() => publicationRange('2023-13-45', undefined, 'UTC')).toThrow('--since: "2023-13-45" is not a real date and time');
    expect(() => publicationRange(undefined, '2023-02-29', 'UTC')).toThrow('--until: "2023-02-29" is not a real date and time');
    expect(() => publicationRange('yesterday', undefined, 'UTC')).toThrow(/--since expects YYYY-MM-DD/);
    expect(() => publicationRange('2023-11-02T25:00Z', undefined, 'UTC')).toThrow(/--since/);
    expect(() => publicationRange('2023-11-03', '2023-11-02', 'UTC')).toThrow(/not before --until/);
    expect(() => parseTimeZoneFlag('Mars/Olympus')).toThrow(/--tz expects an IANA time zone/);
    expect(parseTimeZoneFlag(undefined)).toBe('UTC');
  });
});
