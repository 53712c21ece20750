/**
 * Dates as the publisher stated them: the stored `publishedAt` keeps the publisher's own UTC
 * offset ("2017-07-25T22:43:00+04:30"), so showing its wall-clock time and offset shows the
 * publisher's zone without converting anything. Pure.
 */
import { escapeHtml } from './escape.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const STAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/i;

/** "25 Jul 2017, 22:43 (UTC+04:30)", "4 Mar 2019", or the text itself when it is not ISO. */
export function formatPublisherDate(value: string): string {
  const match = STAMP.exec(value);
  if (!match) return value;
  const [, year, month, day, hour, minute, offset] = match;
  const date = `${Number(day)} ${MONTHS[Number(month) - 1] ?? month} ${year}`;
  if (hour === undefined) return date;
  const zone = offset === undefined ? 'local time, zone not stated' : offset.toUpperCase() === 'Z' ? 'UTC' : `UTC${offset}`;
  return `${date}, ${hour}:${minute} (${zone})`;
}

/** A <time> element for a stored date, or an em dash for none. */
export function timeElement(value: string | null): string {
  if (!value) return '—';
  return `<time datetime="${escapeHtml(value)}">${escapeHtml(formatPublisherDate(value))}</time>`;
}
