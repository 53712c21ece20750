/**
 * Wall-clock time in an IANA zone to an instant, with the zone's historical rules taken from
 * the runtime's Intl data (no tz database is bundled here).
 */
import { detachedCopy } from './detached-string.ts';

/** A local date and time as written on a page (month 1-12). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    // A copy: the zone name may be a view into the page it was read from.
    formatters.set(detachedCopy(timeZone), f);
  }
  return f;
}

/** True when the runtime knows this IANA zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's UTC offset in minutes (east positive) at the instant `epochMs`. */
export function zoneOffsetAt(timeZone: string, epochMs: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const era = partValue(parts, 'era');
  const year = era === 'BC' || era === 'B' ? 1 - partNumber(parts, 'year') : partNumber(parts, 'year');
  const asUtc = Date.UTC(
    year,
    partNumber(parts, 'month') - 1,
    partNumber(parts, 'day'),
    partNumber(parts, 'hour'),
    partNumber(parts, 'minute'),
    partNumber(parts, 'second'),
  );
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  return Math.round((asUtc - wholeSeconds) / 60_000);
}

// Module-level helpers rather than closures made per call: see "Hot walkers" in src/extract/index.ts.
function partValue(parts: readonly Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes): string | undefined {
  for (const part of parts) if (part.type === type) return part.value;
  return undefined;
}

function partNumber(parts: readonly Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes): number {
  return Number(partValue(parts, type) ?? 0);
}

/** Milliseconds of the wall time read as if it were UTC. */
export function wallTimeAsUtcMs(t: WallTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/**
 * The UTC offset (minutes) that applies to a wall time in `timeZone`.
 *
 * Disambiguation follows Temporal's "compatible" rule: a time repeated when clocks go back
 * takes the earlier instant (the daylight-saving offset); a time skipped when clocks go forward
 * is read with the offset from before the change (so it lands after the gap).
 */
export function offsetForWallTime(timeZone: string, t: WallTime): number {
  const local = wallTimeAsUtcMs(t);
  // The offset a day either side brackets every real-world transition.
  const before = zoneOffsetAt(timeZone, local - 86_400_000);
  const after = zoneOffsetAt(timeZone, local + 86_400_000);
  const candidates = before === after ? [before] : [before, after];
  const valid = candidates.filter((off) => zoneOffsetAt(timeZone, local - off * 60_000) === off);
  if (valid.length === 0) return before; // in a gap
  // Repeated hour: both offsets are valid; the earlier instant has the larger offset.
  return Math.max(...valid);
}

/** "+04:30", "-05:00", "+00:00" for an offset in minutes. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
}
