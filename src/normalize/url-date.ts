/**
 * A publication day written in a URL: /2017/07/25/, /2017-07-25-title, /20170725/.
 * Solar Hijri paths (/1396/05/03/) are converted as Solar Hijri, never taken for Gregorian.
 */
import { toAsciiDigits } from './digits.ts';
import { parseDateText, type NormalizedDate } from './date-text.ts';

/** year / month / day as path segments or joined by - or _ (a day is required). */
const PATH_DATE = /(?:^|[/_-])((?:19|20|13|14)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?=$|[/_.-])/;
/** yyyymmdd as a whole path segment or prefix ("/20170725/", "/20170725-title"). */
const COMPACT_DATE = /\/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=$|[/_.-])/;

export interface UrlDateOptions {
  now: Date;
}

/** The day in the URL's path, or null. Never a time: a URL does not carry one. */
export function dateFromUrl(url: string, options: UrlDateOptions): NormalizedDate | null {
  let path: string;
  try {
    path = toAsciiDigits(decodeURIComponent(new URL(url).pathname));
  } catch {
    path = toAsciiDigits(url);
  }
  const m = PATH_DATE.exec(path) ?? COMPACT_DATE.exec(path);
  if (!m) return null;
  const [, y, mo, d] = m;
  const date = parseDateText(`${y}/${Number(mo)}/${Number(d)}`, { now: options.now, dayFirst: false });
  return date ? { ...date, raw: m[0].replace(/^[/_-]/, '') } : null;
}

/** year / month as path segments without a day ("/news/2011/12/slug/"). */
const PATH_MONTH = /\/((?:19|20)\d{2})\/(0?[1-9]|1[0-2])(?=\/|$)/;

/**
 * The month in the URL's path when it gives no day ("/2018/08/post-title/": many blogs), as
 * "YYYY-MM", or null. A month is not a date: it only tells which of a page's dates can be the
 * article's.
 */
export function monthFromUrl(url: string): string | null {
  let path: string;
  try {
    path = toAsciiDigits(decodeURIComponent(new URL(url).pathname));
  } catch {
    path = toAsciiDigits(url);
  }
  if (PATH_DATE.test(path) || COMPACT_DATE.test(path)) return null;
  const m = PATH_MONTH.exec(path);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}` : null;
}
