/**
 * One date string, as a page wrote it, to a normalized date.
 *
 * Steps: fold the text (digits, letters, case) → find the date (ISO, month names in several
 * languages and calendars, numeric) → find a time next to it (with AM/PM or ق.ظ/ب.ظ, and an
 * offset if written) → convert the calendar → place it in time (explicit offset, else the
 * site's zone, else no offset) → reject what is out of range.
 */
import { toGregorian, isValidJalaaliDate } from 'jalaali-js';
import { toAsciiDigits } from './digits.ts';
import { foldForMatching, lookupMonth, MONTH_NAME_PATTERN, trailingWeekdayLength, type Calendar } from './month-names.ts';
import { formatOffset, isKnownTimeZone, offsetForWallTime, wallTimeAsUtcMs, zoneOffsetAt, type WallTime } from './time-zone.ts';

export interface NormalizedDate {
  /** RFC 3339 with offset, bare "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SS" when no zone is known. */
  value: string;
  precision: 'day' | 'minute' | 'second';
  /** The instant in UTC ("2017-07-25T18:13:00Z") when an offset is known, else null. */
  utc: string | null;
  /** The text the date was read from, trimmed. */
  raw: string;
}

export interface ParseDateOptions {
  /** IANA zone for times written without an offset (the site profile's). */
  timeZone?: string | null;
  /** Numeric dates: true = D/M/Y, false = M/D/Y, null = guess from the separator. */
  dayFirst?: boolean | null;
  /** The clock: dates after now + 1 day are rejected. */
  now: Date;
}

/** Nothing published on the web before this is plausible for a news page. */
export const EARLIEST_DATE_MS = Date.UTC(1995, 0, 1);
/** Tolerance for clocks and zones ahead of `now`. */
export const FUTURE_TOLERANCE_MS = 86_400_000;
/** A time must be this close to its date (characters) to belong to it. */
const TIME_SEARCH_WINDOW = 40;
/** Gregorian years accepted with month names or numbers. */
const MIN_GREGORIAN_YEAR = 1900;
const MAX_GREGORIAN_YEAR = 2200;
/** Solar Hijri years 1300-1499 cover 1921-2121. */
const MIN_JALAALI_YEAR = 1300;
const MAX_JALAALI_YEAR = 1499;
/** Marks a lunar Hijri date ("1441 هـ"), which shares the Solar Hijri year range. */
const LUNAR_HIJRI_MARK = /\d\s*ه(?:ـ|\s|\.|$)|هجری قمری|هجري/u;
/** Longest text worth scanning: a date line, a meta value, a byline. */
const MAX_TEXT_LENGTH = 400;
/**
 * Every date pattern below needs a four-digit year, and folding never makes digits adjacent
 * that were not: text without four digits in a row (any script) holds no date, and is
 * turned away before the costly folding and matching.
 */
const YEAR_DIGITS = /[0-9\u06F0-\u06F9\u0660-\u0669]{4}/;

interface FoundDate {
  year: number;
  month: number;
  day: number;
  calendar: Calendar;
  start: number;
  end: number;
}

interface FoundTime {
  /** Span in the searched text. */
  start: number;
  end: number;
  hour: number;
  minute: number;
  second: number | null;
  /** Minutes east of UTC, when the text wrote one. */
  offset: number | null;
}

// ---------------------------------------------------------------------------------------------
// Date patterns (run on folded text: lowercase, ASCII digits, Persian letters)

const NOT_DIGIT_BEFORE = '(?<![\\d])';
const NOT_DIGIT_AFTER = '(?![\\d])';
const MONTHS = `(${MONTH_NAME_PATTERN})`;
const ORDINAL = '(?:st|nd|rd|th|er|eme|º|°|ª)?';

/** 2017-07-25 (ISO 8601, RFC 3339), also 2017-7-5. */
const ISO_DATE = new RegExp(`${NOT_DIGIT_BEFORE}(\\d{4})-(\\d{1,2})-(\\d{1,2})${NOT_DIGIT_AFTER}`, 'u');
/** 25 July 2017, 25. Juli 2017, 25 de julio de 2017, ۱۳ اسفند ۱۳۹۷, 25th of July, 2017. */
const DAY_MONTH_YEAR = new RegExp(
  `${NOT_DIGIT_BEFORE}(\\d{1,2})${ORDINAL}\\.?\\s*(?:de\\s+|of\\s+|-)?${MONTHS}(?!\\p{L})\\.?,?\\s*(?:de\\s+|del\\s+|-)?(\\d{4})${NOT_DIGIT_AFTER}`,
  'u',
);
/** July 25, 2017; Jul. 25th 2017; Tuesday, July 25 2017. */
const MONTH_DAY_YEAR = new RegExp(
  `(?<!\\p{L})${MONTHS}\\.?\\s*(\\d{1,2})${ORDINAL}(?!\\d),?\\s+(\\d{4})${NOT_DIGIT_AFTER}`,
  'u',
);
/** Mon Oct 11 14:57:21 CEST 2021 (Java's Date.toString, common in meta tags). */
const MONTH_DAY_TIME_YEAR = new RegExp(
  `(?<!\\p{L})${MONTHS}\\s+(\\d{1,2})\\s+\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\s+[a-z]{2,5})?\\s+(\\d{4})${NOT_DIGIT_AFTER}`,
  'u',
);
/** 2017 July 25 (rare, but Persian and some feeds). */
const YEAR_MONTH_DAY = new RegExp(`${NOT_DIGIT_BEFORE}(\\d{4}),?\\s+${MONTHS}(?!\\p{L})\\.?\\s+(\\d{1,2})${NOT_DIGIT_AFTER}`, 'u');
/** 2017/07/25, 2017.07.25, 1398/11/29, 2020. 3. 5. */
const NUMERIC_YMD = new RegExp(`${NOT_DIGIT_BEFORE}(\\d{4})([./])\\s?(\\d{1,2})\\2\\s?(\\d{1,2})${NOT_DIGIT_AFTER}`, 'u');
/** 25.07.2017, 07/25/2017, 25-07-2017. */
const NUMERIC_DMY = new RegExp(`(?<![\\d./])(\\d{1,2})([./-])(\\d{1,2})\\2(\\d{4})${NOT_DIGIT_AFTER}`, 'u');
/** 2020年3月5日 (Chinese, Japanese), 2020년 3월 5일 (Korean). */
const CJK_DATE = /(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?/u;

function yearCalendar(year: number, text: string): Calendar | null {
  if (year >= MIN_GREGORIAN_YEAR && year <= MAX_GREGORIAN_YEAR) return 'gregorian';
  if (year >= MIN_JALAALI_YEAR && year <= MAX_JALAALI_YEAR && !LUNAR_HIJRI_MARK.test(text)) return 'jalaali';
  return null;
}

function namedMonthDate(text: string, m: RegExpExecArray, dayAt: number, monthAt: number, yearAt: number): FoundDate | null {
  const name = lookupMonth(m[monthAt] ?? '');
  if (!name) return null;
  const year = Number(m[yearAt]);
  const calendar = yearCalendar(year, text);
  if (calendar !== name.calendar) return null;
  return { year, month: name.month, day: Number(m[dayAt]), calendar, start: m.index, end: m.index + m[0].length };
}

/** Which of two numbers is the day in an all-numeric date. */
function dayFirstFor(a: number, b: number, separator: string, dayFirst: boolean | null | undefined): boolean {
  if (a > 12 && b <= 12) return true;
  if (b > 12 && a <= 12) return false;
  if (dayFirst === true || dayFirst === false) return dayFirst;
  // Dots and dashes are day-first across Europe and Asia; the slash is month-first in US English.
  return separator !== '/';
}

/** Adds a named-month date when its text parsed (a module-level helper, not a closure: "Hot walkers", src/extract/index.ts). */
function pushFound(found: FoundDate[], d: FoundDate | null): void {
  if (d) found.push(d);
}

function findDates(text: string, dayFirst: boolean | null | undefined): FoundDate[] {
  const found: FoundDate[] = [];
  let m: RegExpExecArray | null;
  if ((m = ISO_DATE.exec(text))) {
    const year = Number(m[1]);
    const calendar = yearCalendar(year, text);
    if (calendar) found.push({ year, month: Number(m[2]), day: Number(m[3]), calendar, start: m.index, end: m.index + m[0].length });
    // A machine stamp ("2017-07-25T18:13:00Z"): no date starts earlier, and no other pattern
    // can start at the digits of "yyyy-": the search is over.
    if (found.length === 1 && m.index === 0) return found;
  }
  if ((m = DAY_MONTH_YEAR.exec(text))) pushFound(found, namedMonthDate(text, m, 1, 2, 3));
  if ((m = MONTH_DAY_YEAR.exec(text))) pushFound(found, namedMonthDate(text, m, 2, 1, 3));
  if ((m = MONTH_DAY_TIME_YEAR.exec(text))) pushFound(found, namedMonthDate(text, m, 2, 1, 3));
  if ((m = YEAR_MONTH_DAY.exec(text))) pushFound(found, namedMonthDate(text, m, 3, 2, 1));
  if ((m = NUMERIC_YMD.exec(text))) {
    const year = Number(m[1]);
    const calendar = yearCalendar(year, text);
    if (calendar) found.push({ year, month: Number(m[3]), day: Number(m[4]), calendar, start: m.index, end: m.index + m[0].length });
  }
  if ((m = NUMERIC_DMY.exec(text))) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const year = Number(m[4]);
    const calendar = yearCalendar(year, text);
    const df = dayFirstFor(a, b, m[2] ?? '', dayFirst);
    if (calendar) found.push({ year, month: df ? b : a, day: df ? a : b, calendar, start: m.index, end: m.index + m[0].length });
  }
  if ((m = CJK_DATE.exec(text))) {
    const year = Number(m[1]);
    if (yearCalendar(year, text) === 'gregorian') {
      found.push({ year, month: Number(m[2]), day: Number(m[3]), calendar: 'gregorian', start: m.index, end: m.index + m[0].length });
    }
  }
  return found;
}

/** The earliest date in the text; at the same position, the longest match. */
function findDate(text: string, dayFirst: boolean | null | undefined): FoundDate | null {
  const all = findDates(text, dayFirst);
  all.sort((x, y) => x.start - y.start || y.end - x.end);
  return all[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Time patterns

/** 15h30 (French), 14.20 Uhr (German). */
const LETTER_TIME = /(?<![\d.:])(\d{1,2})(?:h|\.)(\d{2})(?!\d)\s*(?:uhr|h(?!\p{L}))?/u;
const LETTER_TIME_NEEDS_UHR = /uhr/u;

/** Offsets of the zone abbreviations that news pages print (ambiguous ones left out). */
const ZONE_ABBREVIATIONS: Readonly<Record<string, number>> = {
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  bst: 60, cet: 60, cest: 120, mez: 60, mesz: 120, eet: 120, eest: 180, wet: 0, west: 60,
  msk: 180, irst: 210, irdt: 270, aest: 600, aedt: 660, jst: 540, kst: 540, sgt: 480, hkt: 480,
};

/** 22:43, 10:00:19 am, 12:09:08 ب.ظ, 3:45 p.m., 14:20 uhr, then an optional zone. */
const CLOCK_TIME = new RegExp(
  String.raw`(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d{1,9})?(?![\d:])` +
    String.raw`\s*(a\.?\s?m\.?|p\.?\s?m\.?|ق\.?\s?ظ\.?|ب\.?\s?ظ\.?|ص(?!\p{L})|م(?!\p{L}))?` +
    String.raw`\s*(?:uhr|h(?!\p{L}))?` +
    String.raw`\s*\(?(z(?!\p{L})|(?:utc|gmt)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}(?!\d)|[+-]\d{2}(?![\d:])|utc|gmt|` +
    `(?:${Object.keys(ZONE_ABBREVIATIONS).join('|')})(?!\\p{L}))?`,
  'u',
);

function parseOffset(zone: string | undefined): number | null {
  if (!zone) return null;
  const z = zone.replace(/\s+/g, '');
  if (z === 'z' || z === 'utc' || z === 'gmt') return 0;
  const named = ZONE_ABBREVIATIONS[z];
  if (named !== undefined) return named;
  const m = /([+-])(\d{1,2}):?(\d{2})?$/.exec(z);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (minutes > 14 * 60) return null;
  return m[1] === '-' ? -minutes : minutes;
}

function toTime(
  match: RegExpExecArray,
  hour: number,
  minute: number,
  second: number | null,
  meridiem: string | undefined,
  offset: number | null,
): FoundTime | null {
  let h = hour;
  if (meridiem) {
    const pm = /^(p|ب|م)/u.test(meridiem);
    if (h < 1 || h > 12) return null;
    if (pm && h < 12) h += 12;
    if (!pm && h === 12) h = 0;
  }
  if (h > 23 || minute > 59 || (second !== null && second > 60)) return null;
  return { start: match.index, end: match.index + match[0].trimEnd().length, hour: h, minute, second, offset };
}

function timeAt(text: string): FoundTime | null {
  const m = CLOCK_TIME.exec(text);
  if (m) {
    return toTime(m, Number(m[1]), Number(m[2]), m[3] === undefined ? null : Number(m[3]), m[4], parseOffset(m[5]));
  }
  const l = LETTER_TIME.exec(text);
  if (l && (l[0].includes('h') || LETTER_TIME_NEEDS_UHR.test(l[0]))) {
    return toTime(l, Number(l[1]), Number(l[2]), null, undefined, null);
  }
  return null;
}

/** A time right after the date (the usual order), else right before it; spans in `text`. */
function findTime(text: string, date: FoundDate): FoundTime | null {
  const after = timeAt(text.slice(date.end, date.end + TIME_SEARCH_WINDOW));
  if (after) return { ...after, start: after.start + date.end, end: after.end + date.end };
  const inside = timeAt(text.slice(date.start, date.end));
  if (inside) return { ...inside, start: inside.start + date.start, end: inside.end + date.start };
  const from = Math.max(0, date.start - TIME_SEARCH_WINDOW);
  const before = timeAt(text.slice(from, date.start));
  return before ? { ...before, start: before.start + from, end: before.end + from } : null;
}

// ---------------------------------------------------------------------------------------------
// Assembly

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function toGregorianDay(d: FoundDate): { year: number; month: number; day: number } | null {
  if (d.calendar === 'jalaali') {
    if (!isValidJalaaliDate(d.year, d.month, d.day)) return null;
    const g = toGregorian(d.year, d.month, d.day);
    return { year: g.gy, month: g.gm, day: g.gd };
  }
  const probe = new Date(Date.UTC(d.year, d.month - 1, d.day));
  if (probe.getUTCFullYear() !== d.year || probe.getUTCMonth() !== d.month - 1 || probe.getUTCDate() !== d.day) return null;
  return { year: d.year, month: d.month, day: d.day };
}

function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function wallString(t: WallTime): string {
  return `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

function wallFromUtcMs(ms: number): WallTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

function inRange(ms: number, now: Date): boolean {
  return ms >= EARLIEST_DATE_MS && ms <= now.getTime() + FUTURE_TOLERANCE_MS;
}

/**
 * Parse the first date (with its time, if one is written next to it) in `text`.
 * Returns null when there is no complete day-month-year date or it is out of range.
 */
export function parseDateText(text: string, options: ParseDateOptions): NormalizedDate | null {
  if (!YEAR_DIGITS.test(text)) return null;
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean || clean.length > MAX_TEXT_LENGTH) return null;
  const folded = foldForMatching(clean);
  const found = findDate(folded, options.dayFirst);
  if (!found) return null;
  const day = toGregorianDay(found);
  if (!day) return null;
  const time = findTime(folded, found);
  const start = Math.min(found.start, time?.start ?? found.start);
  const end = Math.max(found.end, time?.end ?? found.end);
  const raw = clean.slice(start - trailingWeekdayLength(folded.slice(0, start)), end).trim();

  if (!time) {
    if (!inRange(Date.UTC(day.year, day.month - 1, day.day), options.now)) return null;
    return { value: `${day.year}-${pad(day.month)}-${pad(day.day)}`, precision: 'day', utc: null, raw };
  }

  const wall: WallTime = { ...day, hour: time.hour, minute: time.minute, second: time.second ?? 0 };
  const precision = time.second === null ? 'minute' : 'second';
  const zone = options.timeZone && isKnownTimeZone(options.timeZone) ? options.timeZone : null;

  let offset = time.offset;
  let shown = wall;
  if (offset === 0 && zone) {
    // A UTC stamp is machine time: show it in the publisher's zone, same instant.
    const instant = wallTimeAsUtcMs(wall);
    offset = zoneOffsetAt(zone, instant);
    shown = wallFromUtcMs(instant + offset * 60_000);
  } else if (offset === null && zone) {
    // A wall time skipped by a clock change is shown as the time it became (01:30, not 00:30).
    const instant = wallTimeAsUtcMs(wall) - offsetForWallTime(zone, wall) * 60_000;
    offset = zoneOffsetAt(zone, instant);
    shown = wallFromUtcMs(instant + offset * 60_000);
  }

  if (offset === null) {
    if (!inRange(wallTimeAsUtcMs(wall), options.now)) return null;
    return { value: wallString(wall), precision, utc: null, raw };
  }
  const instant = wallTimeAsUtcMs(shown) - offset * 60_000;
  if (!inRange(instant, options.now)) return null;
  return { value: `${wallString(shown)}${formatOffset(offset)}`, precision, utc: isoUtc(instant), raw };
}

/** A whole text that is a day.month.two-digit-year date ("31.10.23", "2.12.19"), as German and Swiss pages write it. */
const TWO_DIGIT_YEAR_DATE = /^\s*(0?[1-9]|[12]\d|3[01])\.(0?[1-9]|1[0-2])\.(\d{2})\s*$/;

/**
 * "31.10.23" → "31.10.2023": a whole text that is a dotted date with a two-digit year, with its
 * century: this one unless that puts it after `now`'s year, else the last. Null for any other
 * text. Only a text that is nothing but the date is read so (a two-digit year inside prose is
 * as often a version or a score).
 */
export function expandTwoDigitYear(text: string, now: Date): string | null {
  const m = TWO_DIGIT_YEAR_DATE.exec(toAsciiDigits(text));
  if (m === null) return null;
  const yy = Number(m[3]);
  const century = Math.floor(now.getUTCFullYear() / 100) * 100;
  const year = century + yy > now.getUTCFullYear() ? century - 100 + yy : century + yy;
  return `${m[1]}.${m[2]}.${year}`;
}
