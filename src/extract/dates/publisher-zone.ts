/**
 * Step 6 of date finding: a UTC stamp ("2023-11-01T23:01:00Z") shown in the publisher's own
 * time. Sites often write their machine-readable dates in UTC; the day a reader (and the
 * label) sees is the publisher's local one, which may be the next or the previous day. The
 * publisher's zone is inferred from the page only, strongest evidence first:
 *
 *   1. the same instant written in local time elsewhere on the page (another stamp, a wall
 *      time, a visible "November 8, 2023 at 11:30 p.m."): its offset is the publisher's;
 *   2. the zone the site profile gives, or the one zone the page's scripts declare;
 *   3. the one non-zero offset every other stamp of the page carries;
 *   4. the zone of the site's country, when its country-code domain has only one zone;
 *   5. the day the page itself shows for the article (its URL's day, its visible date line),
 *      when an offset in use (−12:00 to +14:00) turns the UTC stamp into that day: then only
 *      the day is known, and a bare date is given.
 *
 * With none of these the stamp stays in UTC: no zone is invented. `raw` says what the
 * conversion came from, after the stamp as written.
 */
import type { NormalizedDate } from '../../normalize/date-text.ts';
import { countryZoneOfHost } from '../../normalize/country-zone.ts';
import { formatOffset, isKnownTimeZone, zoneOffsetAt } from '../../normalize/time-zone.ts';
import { textOf } from '../page/dom.ts';
import type { PageIndex } from '../page/page-index.ts';
import { type Candidate, dayOf, RANK } from './candidate.ts';

/** Largest UTC offsets in use: Kiribati (+14:00) and Baker Island (−12:00). */
const MAX_OFFSET_MINUTES = 14 * 60;
const MIN_OFFSET_MINUTES = -12 * 60;
/** Every offset in use is a whole number of quarter hours (Nepal +05:45, Chatham +12:45). */
const OFFSET_STEP_MINUTES = 15;
const MINUTE_MS = 60_000;

/** What the publisher's zone is inferred from (see the module comment). */
export interface ZoneEvidence {
  /** Every candidate found on the page, published and modified. */
  all: readonly Candidate[];
  /** The site profile's zone, else the one the page's scripts declare, else null. */
  zone: string | null;
  /** Where the profile or script zone came from, for `raw`. */
  zoneSource: string;
  /** The page's host (its URL's, else its canonical URL's), or null. */
  host: string | null;
  /** Days the page shows for the article itself, with where each came from. */
  shownDays: readonly { day: string; source: string }[];
}

/** "+00:00" or "Z": a machine UTC stamp rather than the publisher's local time. */
function isUtcStamp(d: NormalizedDate): boolean {
  return d.utc !== null && d.value.endsWith('+00:00');
}

/** The offset (minutes east) of a value that carries one and is not UTC, else null. */
function offsetOf(d: NormalizedDate): number | null {
  if (d.utc === null || isUtcStamp(d)) return null;
  const m = /([+-])(\d{2}):(\d{2})$/.exec(d.value);
  if (m === null) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function isOffsetInUse(minutes: number): boolean {
  return Number.isInteger(minutes / OFFSET_STEP_MINUTES) && minutes >= MIN_OFFSET_MINUTES && minutes <= MAX_OFFSET_MINUTES;
}

function withNote(d: NormalizedDate, raw: string, note: string): NormalizedDate {
  return { ...d, raw: `${raw} (${note})` };
}

/** A UTC stamp shown at a fixed offset. */
function atOffset(d: NormalizedDate, offset: number): NormalizedDate {
  const utcMs = Date.parse(d.utc ?? d.value);
  const wall = new Date(utcMs + offset * MINUTE_MS).toISOString().slice(0, 19);
  return { ...d, value: `${wall}${formatOffset(offset)}` };
}

/** A UTC stamp shown in `zone`: same instant, the publisher's wall time and offset. */
function inZone(d: NormalizedDate, zone: string): NormalizedDate {
  if (d.utc === null) return d;
  return atOffset(d, zoneOffsetAt(zone, Date.parse(d.utc)));
}

/**
 * Evidence 1: another candidate giving the same instant in local time: one with an offset, or
 * one without whose wall time differs from the stamp by an offset in use. A candidate known
 * to the minute only (a visible "11:30 p.m.") is compared to the minute.
 */
function sameInstantLocal(chosen: NormalizedDate, all: readonly Candidate[]): NormalizedDate | null {
  const utcMs = Date.parse(chosen.utc ?? '');
  if (Number.isNaN(utcMs)) return null;
  for (const { date } of all) {
    if (date === chosen || isUtcStamp(date) || !date.value.includes('T')) continue;
    const toMinute = date.precision === 'minute' || chosen.precision === 'minute';
    const stampMs = toMinute ? utcMs - (utcMs % MINUTE_MS) : utcMs;
    if (date.utc !== null) {
      const otherMs = Date.parse(date.utc);
      if ((toMinute ? otherMs - (otherMs % MINUTE_MS) : otherMs) === stampMs) {
        return withNote({ ...chosen, value: atOffset(chosen, offsetOf(date) ?? 0).value }, chosen.raw, `UTC; the publisher's offset from "${date.raw}"`);
      }
      continue;
    }
    const offset = (Date.parse(`${date.value}Z`) - stampMs) / MINUTE_MS;
    if (offset !== 0 && isOffsetInUse(offset)) {
      return withNote(atOffset(chosen, offset), chosen.raw, `UTC; the publisher's offset from "${date.raw}"`);
    }
  }
  return null;
}

/** Evidence 3: the one non-zero offset all the page's other machine stamps carry, or null. */
function otherStampsOffset(chosen: NormalizedDate, all: readonly Candidate[]): number | null {
  const offsets = new Set<number>();
  for (const { date, rank } of all) {
    if (date === chosen || rank === RANK.visibleText || rank === RANK.title) continue;
    const offset = offsetOf(date);
    if (offset !== null) offsets.add(offset);
  }
  const [offset] = offsets;
  return offsets.size === 1 && offset !== undefined ? offset : null;
}

/** Evidence 5: a day the page shows that the stamp falls on at some offset in use, else null. */
function shownDay(chosen: NormalizedDate, shownDays: ZoneEvidence['shownDays']): { day: string; source: string } | null {
  const utcMs = Date.parse(chosen.utc ?? '');
  if (Number.isNaN(utcMs)) return null;
  const earliest = new Date(utcMs + MIN_OFFSET_MINUTES * MINUTE_MS).toISOString().slice(0, 10);
  const latest = new Date(utcMs + MAX_OFFSET_MINUTES * MINUTE_MS).toISOString().slice(0, 10);
  const utcDay = new Date(utcMs).toISOString().slice(0, 10);
  for (const shown of shownDays) {
    if (shown.day !== utcDay && shown.day >= earliest && shown.day <= latest) return shown;
  }
  return null;
}

/**
 * `chosen` in the publisher's time when the page says what that is (see the module comment).
 * A zone from evidence 2-4 is not applied when the page shows the stamp's UTC day for the
 * article and the zone would move it off that day: then the stamp is the publisher's wall time
 * mislabelled as UTC (a common CMS misconfiguration), and its day is already the right one.
 */
export function inPublisherTime(chosen: NormalizedDate, evidence: ZoneEvidence): NormalizedDate {
  if (!isUtcStamp(chosen) || chosen.utc === null) return chosen;
  const local = sameInstantLocal(chosen, evidence.all);
  if (local !== null) return local;
  const utcDay = chosen.utc.slice(0, 10);
  const pageShowsUtcDay = evidence.shownDays.some((shown) => shown.day === utcDay);
  const keepsShownDay = (converted: NormalizedDate): boolean => !pageShowsUtcDay || converted.value.startsWith(utcDay);
  if (evidence.zone !== null) {
    const converted = inZone(chosen, evidence.zone);
    if (keepsShownDay(converted)) return withNote(converted, chosen.raw, `UTC; in ${evidence.zone}, ${evidence.zoneSource}`);
    return chosen;
  }
  const offset = otherStampsOffset(chosen, evidence.all);
  if (offset !== null) {
    const converted = atOffset(chosen, offset);
    if (keepsShownDay(converted)) return withNote(converted, chosen.raw, "UTC; at the offset of the page's other stamps");
    return chosen;
  }
  const country = evidence.host === null ? null : countryZoneOfHost(evidence.host);
  if (country !== null && isKnownTimeZone(country.zone)) {
    const converted = inZone(chosen, country.zone);
    if (keepsShownDay(converted)) return withNote(converted, chosen.raw, `UTC; in ${country.zone}, the one zone of .${country.country}`);
    return chosen;
  }
  const shown = shownDay(chosen, evidence.shownDays);
  if (shown !== null) {
    return { value: shown.day, precision: 'day', utc: chosen.utc, raw: `${chosen.raw} (UTC; the publisher's day from ${shown.source})` };
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

/** The day of a candidate, for {@link ZoneEvidence.shownDays}. */
export function shownDayOf(c: Candidate, source: string): { day: string; source: string } {
  return { day: dayOf(c), source };
}
