/**
 * Step 6 of date finding: a UTC stamp shown in the publisher's local time, when the page says
 * what that is.
 */
import type { NormalizedDate } from '../../normalize/date-text.ts';
import { formatOffset, isKnownTimeZone, zoneOffsetAt } from '../../normalize/time-zone.ts';
import { textOf } from '../page/dom.ts';
import type { PageIndex } from '../page/page-index.ts';
import { type Candidate, RANK } from './candidate.ts';

/** Largest UTC offset in use (Kiribati, +14:00). */
const MAX_OFFSET_MINUTES = 14 * 60;

/** "+00:00" or "Z": a machine UTC stamp rather than the publisher's local time. */
export function isUtcStamp(d: NormalizedDate): boolean {
  return d.utc !== null && d.value.endsWith('+00:00');
}

/** Minutes and seconds of a value with a time ("…T17:49:09…"), else null. */
function minuteSecond(d: NormalizedDate): string | null {
  return /T\d{2}:(\d{2}:\d{2})/.exec(d.value)?.[1] ?? null;
}

/**
 * A UTC stamp re-expressed in the publisher's local time when another machine-readable
 * candidate gives the same instant in local time: one with an offset, or one without whose
 * wall time differs from the UTC one by a whole number of quarter hours (the page's own zone,
 * then, is known).
 */
export function inPublisherTime(chosen: NormalizedDate, all: readonly Candidate[]): NormalizedDate {
  if (!isUtcStamp(chosen) || chosen.utc === null) return chosen;
  const utcMs = Date.parse(chosen.utc);
  const ms = minuteSecond(chosen);
  for (const { date, rank } of all) {
    if (rank > RANK.genericMetadata) continue; // visible text is read by people, in their zone
    if (date === chosen || isUtcStamp(date) || minuteSecond(date) !== ms) continue;
    if (date.utc !== null) {
      if (Date.parse(date.utc) === utcMs) return date;
      continue;
    }
    const wallMs = Date.parse(`${date.value}Z`);
    const offsetMinutes = (wallMs - utcMs) / 60_000;
    if (Number.isInteger(offsetMinutes / 15) && Math.abs(offsetMinutes) <= MAX_OFFSET_MINUTES && offsetMinutes !== 0) {
      return { ...date, value: `${date.value}${formatOffset(offsetMinutes)}`, utc: chosen.utc };
    }
  }
  return chosen;
}

/**
 * A site time zone that the page's scripts declare ("timezone":"America/New_York",
 * "timezone_string":"Europe/Berlin", "timeZone":{"short":"ET","long":"America/New_York"}).
 * Only region/city names: "UTC" or an abbreviation says nothing about the publisher.
 */
const DECLARED_ZONE =
  /["'](?:time_?zone(?:_?string|_?name|_?id)?|tz)["']\s*:\s*(?:\{[^{}]{0,80}?)?["']((?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)\/[A-Za-z_]+(?:\/[A-Za-z_]+)?)["']/gi;

/** The one IANA zone the page's scripts declare, or null (none, several, or unknown). */
export function declaredTimeZone(index: PageIndex): string | null {
  const zones = new Set<string>();
  for (const el of index.inlineScripts) {
    for (const m of textOf(el).matchAll(DECLARED_ZONE)) if (m[1]) zones.add(m[1]);
  }
  const [zone] = zones;
  return zones.size === 1 && zone && isKnownTimeZone(zone) ? zone : null;
}

/** A UTC stamp shown in `zone`: same instant, the publisher's wall time and offset. */
export function inZone(d: NormalizedDate, zone: string): NormalizedDate {
  if (d.utc === null) return d;
  const utcMs = Date.parse(d.utc);
  const offset = zoneOffsetAt(zone, utcMs);
  const wall = new Date(utcMs + offset * 60_000).toISOString().slice(0, 19);
  return { ...d, value: `${wall}${formatOffset(offset)}` };
}
