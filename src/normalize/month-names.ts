/**
 * Month names by calendar. Keys are in the folded form `foldForMatching` produces: lowercase,
 * Latin accents stripped, Arabic yeh/kaf as Persian ی/ک.
 */
import { toAsciiDigits } from './digits.ts';

export type Calendar = 'gregorian' | 'jalaali';

export interface MonthName {
  month: number;
  calendar: Calendar;
}

/**
 * For each Gregorian month 1..12, its names (English, German, French, Spanish, Portuguese,
 * Italian, Dutch, Arabic in its Egyptian, Levantine and Maghrebi forms, Persian, Russian,
 * Ukrainian and Polish, nominative and genitive). Kept as one row per month so a reader can
 * check a language at a glance.
 */
const GREGORIAN_BY_MONTH: ReadonlyArray<readonly string[]> = [
  ['january', 'jan', 'januar', 'janner', 'janvier', 'janv', 'enero', 'ene', 'janeiro', 'gennaio', 'januari', 'يناير', 'كانون الثاني', 'جانفي', 'ژانویه', 'январь', 'января', 'січень', 'січня', 'stycznia', 'styczeń'],
  ['february', 'feb', 'februar', 'feber', 'fevrier', 'fevr', 'fev', 'febrero', 'fevereiro', 'febbraio', 'februari', 'فبراير', 'شباط', 'فيفري', 'فوریه', 'февраль', 'февраля', 'лютий', 'лютого', 'lutego', 'luty'],
  ['march', 'mar', 'marz', 'mrz', 'mars', 'marzo', 'marco', 'maart', 'مارس', 'آذار', 'اذار', 'март', 'марта', 'березень', 'березня', 'marca', 'marzec'],
  ['april', 'apr', 'avril', 'avr', 'abril', 'abr', 'aprile', 'أبريل', 'ابريل', 'إبريل', 'نيسان', 'أفريل', 'افريل', 'آوریل', 'апрель', 'апреля', 'квітень', 'квітня', 'kwietnia', 'kwiecień'],
  ['may', 'mai', 'mayo', 'maio', 'maggio', 'mei', 'مايو', 'أيار', 'ايار', 'ماي', 'مه', 'می', 'май', 'мая', 'травень', 'травня', 'maja'],
  ['june', 'jun', 'juni', 'juin', 'junio', 'junho', 'giugno', 'يونيو', 'يونيه', 'حزيران', 'جوان', 'ژوئن', 'июнь', 'июня', 'червень', 'червня', 'czerwca', 'czerwiec'],
  ['july', 'jul', 'juli', 'juillet', 'juil', 'julio', 'julho', 'luglio', 'يوليو', 'يوليه', 'تموز', 'جويلية', 'ژوئیه', 'جولای', 'июль', 'июля', 'липень', 'липня', 'lipca', 'lipiec'],
  ['august', 'aug', 'aout', 'agosto', 'ago', 'augustus', 'أغسطس', 'اغسطس', 'آب', 'أوت', 'اوت', 'آگوست', 'август', 'августа', 'серпень', 'серпня', 'sierpnia', 'sierpień'],
  ['september', 'sep', 'sept', 'septembre', 'septiembre', 'setiembre', 'setembro', 'set', 'settembre', 'سبتمبر', 'أيلول', 'ايلول', 'سپتامبر', 'сентябрь', 'сентября', 'вересень', 'вересня', 'września', 'wrzesień'],
  ['october', 'oct', 'oktober', 'okt', 'octobre', 'octubre', 'outubro', 'out', 'ottobre', 'أكتوبر', 'اكتوبر', 'تشرين الأول', 'تشرين الاول', 'اکتبر', 'октябрь', 'октября', 'жовтень', 'жовтня', 'października', 'październik'],
  ['november', 'nov', 'novembre', 'noviembre', 'novembro', 'نوفمبر', 'تشرين الثاني', 'نوامبر', 'ноябрь', 'ноября', 'листопад', 'листопада', 'listopada'],
  ['december', 'dec', 'dezember', 'dez', 'decembre', 'diciembre', 'dic', 'dezembro', 'dicembre', 'ديسمبر', 'كانون الأول', 'كانون الاول', 'دسامبر', 'декабрь', 'декабря', 'грудень', 'грудня', 'grudnia', 'grudzień'],
];

/** Solar Hijri (Jalaali) months 1..12 in Persian, with common alternative spellings. */
const JALAALI_BY_MONTH: ReadonlyArray<readonly string[]> = [
  ['فروردین'],
  ['اردیبهشت', 'اردی بهشت'],
  ['خرداد'],
  ['تیر'],
  ['مرداد', 'امرداد'],
  ['شهریور'],
  ['مهر'],
  ['آبان', 'ابان'],
  ['آذر', 'اذر'],
  ['دی'],
  ['بهمن'],
  ['اسفند'],
];

/** Characters folded away; replaced by a space so positions in the text do not move. */
const INVISIBLE_MARKS = /[\u200C\u200D\u200E\u200F\u061C\u00A0]/g;
/** Arabic yeh and alef maksura, and Arabic kaf: folded to Persian ی and ک. */
const ARABIC_YEH = /[\u064A\u0649]/g;
const ARABIC_KAF = /\u0643/g;
/** Combining diacritics, dropped after canonical decomposition (é → e). */
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NON_ASCII = /[^\u0000-\u007F]/;

/**
 * Lowercase, Latin diacritics removed, Arabic letters folded, digits made ASCII.
 * Length-preserving (one UTF-16 unit in, one out), so a match in the folded text is a span of
 * the original text.
 */
export function foldForMatching(s: string): string {
  const base = toAsciiDigits(s).replace(INVISIBLE_MARKS, ' ').replace(ARABIC_YEH, '\u06CC').replace(ARABIC_KAF, '\u06A9');
  // ASCII has no diacritics, and lowercasing it whole is lowercasing it letter by letter.
  if (!NON_ASCII.test(base)) return base.toLowerCase();
  let out = '';
  for (const ch of base) {
    if (ch.charCodeAt(0) < 0x80) {
      out += ch.toLowerCase();
      continue;
    }
    let f = ch.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
    if (f.length !== ch.length) f = ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch;
    out += f;
  }
  return out;
}

function buildTable(): Map<string, MonthName> {
  const table = new Map<string, MonthName>();
  GREGORIAN_BY_MONTH.forEach((names, i) => {
    for (const n of names) table.set(foldForMatching(n), { month: i + 1, calendar: 'gregorian' });
  });
  JALAALI_BY_MONTH.forEach((names, i) => {
    for (const n of names) table.set(foldForMatching(n), { month: i + 1, calendar: 'jalaali' });
  });
  return table;
}

/** Every known month name (folded) to its month number and calendar. */
export const MONTH_NAMES: ReadonlyMap<string, MonthName> = buildTable();

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Alternation of all month names, longest first, for use inside a regular expression. */
export const MONTH_NAME_PATTERN: string = [...MONTH_NAMES.keys()]
  .sort((a, b) => b.length - a.length)
  .map((n) => escapeRegExp(n).replace(/ /g, '\\s+'))
  .join('|');

/** The month a (folded) name stands for, or null. */
export function lookupMonth(name: string): MonthName | null {
  return MONTH_NAMES.get(name.replace(/\s+/g, ' ').replace(/\.$/, '')) ?? null;
}

/** Weekday names (folded), so the raw date can keep "Tuesday 25 July 2017" whole. */
const WEEKDAYS = [
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun',
  'montag', 'dienstag', 'mittwoch', 'donnerstag', 'freitag', 'samstag', 'sonnabend', 'sonntag',
  'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche',
  'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado', 'domingo',
  'segunda-feira', 'terca-feira', 'quarta-feira', 'quinta-feira', 'sexta-feira',
  'شنبه', 'یکشنبه', 'یک شنبه', 'دوشنبه', 'سه شنبه', 'سهشنبه', 'چهارشنبه', 'پنجشنبه', 'پنج شنبه', 'جمعه',
  'الاحد', 'الأحد', 'الاثنين', 'الإثنين', 'الثلاثاء', 'الاربعاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت',
].map(foldForMatching);

const TRAILING_WEEKDAY = new RegExp(`(?<!\\p{L})(?:${WEEKDAYS.map(escapeRegExp).join('|')})\\.?[,،]?\\s*$`, 'u');

/** A weekday name (and a comma) right at the end of `textBefore`: its length, else 0. */
export function trailingWeekdayLength(textBefore: string): number {
  return TRAILING_WEEKDAY.exec(textBefore.slice(-30))?.[0].length ?? 0;
}
