/**
 * `--since` / `--until` values to UTC instants, the form the database keeps publication times
 * in ("2023-11-02T15:00:00Z"). A bare day means that whole day in UTC, or in the zone `--tz`
 * names; a time without an offset is read in that zone too; a time with "Z" or an offset is
 * that instant. Invalid dates (2023-13-45) are usage errors naming the flag. Pure.
 */
import { UsageError } from '../errors.ts';
import { isKnownTimeZone, offsetForWallTime, type WallTime } from '../normalize/time-zone.ts';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** The half-open range [from, before) of publication instants the filters ask for. */
export interface PublicationRange {
  /** Inclusive lower bound, "YYYY-MM-DDTHH:MM:SSZ". */
  from?: string;
  /** Exclusive upper bound, same form. */
  before?: string;
}

export function parseTimeZoneFlag(value: string | undefined): string {
  if (value === undefined) return 'UTC';
  if (!isKnownTimeZone(value)) throw new UsageError(`--tz expects an IANA time zone like Europe/Paris or Asia/Tehran, not ${JSON.stringify(value)}`);
  return value;
}

export function publicationRange(since: string | undefined, until: string | undefined, timeZone: string): PublicationRange {
  const range: PublicationRange = {};
  if (since !== undefined) range.from = isoSeconds(Math.ceil(parseBound('--since', since, timeZone, 'start') / 1000) * 1000);
  // The upper bound includes the named second (stored times have second precision) or the whole day.
  if (until !== undefined) range.before = isoSeconds(Math.floor(parseBound('--until', until, timeZone, 'end') / 1000) * 1000);
  if (range.from && range.before && range.from >= range.before) {
    throw new UsageError(`--since ${since} is not before --until ${until}: no article can match`);
  }
  return range;
}

/**
 * Epoch milliseconds of the bound: for `start`, the first instant the value names; for `end`,
 * the first instant after it (a day: the next midnight; a time: the next second).
 */
function parseBound(flag: string, value: string, timeZone: string, side: 'start' | 'end'): number {
  const day = DAY.exec(value);
  if (day) {
    const wall = checkedWall(flag, value, { year: +day[1]!, month: +day[2]!, day: +day[3]!, hour: 0, minute: 0, second: 0 });
    const start = instantOf(wall, timeZone);
    if (side === 'start') return start;
    const next = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + 1));
    return instantOf({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0 }, timeZone);
  }
  const m = DATE_TIME.exec(value);
  if (!m) throw new UsageError(`${flag} expects YYYY-MM-DD or an ISO 8601 time like 2023-11-02T16:00:00+01:00, not ${JSON.stringify(value)}`);
  const wall = checkedWall(flag, value, { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: +(m[6] ?? 0) });
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const zone = m[8];
  const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) + fraction;
  let instant: number;
  if (zone === undefined) instant = wallMs - offsetForWallTime(timeZone, wall) * 60_000;
  else if (zone === 'Z' || zone === 'z') instant = wallMs;
  else {
    const digits = zone.replace(':', '');
    const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
    if (Number(digits.slice(1, 3)) > 23 || Number(digits.slice(3, 5)) > 59) throw new UsageError(`${flag}: ${JSON.stringify(value)} has an impossible UTC offset`);
    instant = wallMs - (digits[0] === '-' ? -minutes : minutes) * 60_000;
  }
  // The end of a time is the next whole second: it includes every article of the named second.
  return side === 'end' ? Math.floor(instant / 1000) * 1000 + 1000 : instant;
}

function checkedWall(flag: string, value: string, wall: WallTime): WallTime {
  const probe = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
  const real =
    probe.getUTCFullYear() === wall.year &&
    probe.getUTCMonth() + 1 === wall.month &&
    probe.getUTCDate() === wall.day &&
    probe.getUTCHours() === wall.hour &&
    probe.getUTCMinutes() === wall.minute &&
    probe.getUTCSeconds() === wall.second;
  if (!real) throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a real date and time`);
  return wall;
}

function instantOf(wall: WallTime, timeZone: string): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - offsetForWallTime(timeZone, wall) * 60_000;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
