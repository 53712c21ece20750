import { describe, expect, it } from 'vitest';
import { expandTwoDigitYear, parseDateText, type ParseDateOptions } from '../../src/normalize/date-text.ts';

const now = new Date('2024-03-28T12:00:00Z');
const tehran: ParseDateOptions = { timeZone: 'Asia/Tehran', now };
const noZone: ParseDateOptions = { now };

const value = (text: string, options: ParseDateOptions = noZone): string | null => parseDateText(text, options)?.value ?? null;

describe('parseDateText: the golden values', () => {
  it('reads the theiranproject date line in Tehran summer time', () => {
    expect(parseDateText('Tuesday 25 July 2017 - 22:43', tehran)).toEqual({
      value: '2017-07-25T22:43:00+04:30',
      precision: 'minute',
      utc: '2017-07-25T18:13:00Z',
      raw: 'Tuesday 25 July 2017 - 22:43',
    });
  });

  it('reads the text-dump date line as a bare day', () => {
    expect(parseDateText(' date 2019-03-04', noZone)).toEqual({ value: '2019-03-04', precision: 'day', utc: null, raw: '2019-03-04' });
  });
});

describe('parseDateText: English and ISO forms', () => {
  it.each([
    ['2017-07-25', '2017-07-25'],
    ['2017-07-25T22:43:00+04:30', '2017-07-25T22:43:00+04:30'],
    ['2017-07-25T22:43:00.123-0500', '2017-07-25T22:43:00-05:00'],
    ['2017-07-25T18:13:00Z', '2017-07-25T18:13:00+00:00'],
    ['Mon, 17 Feb 2020 10:00:00 GMT', '2020-02-17T10:00:00+00:00'],
    ['Tue, 25 Jul 2017 22:43:00 +0430', '2017-07-25T22:43:00+04:30'],
    ['July 25, 2017', '2017-07-25'],
    ['Jul. 25th, 2017 at 3:45 p.m. EDT', '2017-07-25T15:45:00-04:00'],
    ['25th of July, 2017', '2017-07-25'],
    ['Mon Oct 11 14:57:21 CEST 2021', '2021-10-11T14:57:21+02:00'],
    ['2017/07/25', '2017-07-25'],
  ])('%s → %s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it('keeps a time without a zone as a local time, never inventing an offset', () => {
    expect(parseDateText('Publish Date : 10/7/2023 10:00:19 AM', noZone)).toEqual({
      value: '2023-10-07T10:00:19',
      precision: 'second',
      utc: null,
      raw: '10/7/2023 10:00:19 AM',
    });
  });

  it('reads numeric dates month-first or day-first', () => {
    expect(value('10/7/2023', { now, dayFirst: false })).toBe('2023-10-07');
    expect(value('10/7/2023', { now, dayFirst: true })).toBe('2023-07-10');
    expect(value('25.07.2017')).toBe('2017-07-25');
    expect(value('07/25/2017', { now, dayFirst: true })).toBe('2017-07-25'); // 25 cannot be a month
    expect(value('10.07.2017')).toBe('2017-07-10'); // dots are day-first
  });

  it('reads 12 AM and 12 PM', () => {
    expect(value('July 25, 2017 12:05 AM')).toBe('2017-07-25T00:05:00');
    expect(value('July 25, 2017 12:05 PM')).toBe('2017-07-25T12:05:00');
  });
});

describe('parseDateText: other European languages', () => {
  it.each([
    ['25. Juli 2017, 14:20 Uhr', '2017-07-25T14:20:00'],
    ['3. März 2020', '2020-03-03'],
    ['Le 28 juin 2019', '2019-06-28'],
    ['1er février 2021', '2021-02-01'],
    ['25 de julio de 2017', '2017-07-25'],
    ['5 de março de 2020', '2020-03-05'],
    ['12 settembre 2019', '2019-09-12'],
    ['15h30, 4 août 2020', '2020-08-04T15:30:00'],
  ])('%s → %s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });
});

describe('parseDateText: Solar Hijri', () => {
  it('reads Persian month names and digits, in Tehran time', () => {
    expect(parseDateText('دوشنبه ۱۳ اسفند ۱۳۹۷ - ۱۴:۲۰', tehran)).toEqual({
      value: '2019-03-04T14:20:00+03:30',
      precision: 'minute',
      utc: '2019-03-04T10:50:00Z',
      raw: 'دوشنبه ۱۳ اسفند ۱۳۹۷ - ۱۴:۲۰',
    });
  });

  it('accepts Arabic yeh and kaf for the Persian letters', () => {
    // تير with Arabic yeh (U+064A), as aryanews writes it
    expect(value('2 تير 1399', tehran)).toBe('2020-06-22');
    expect(value('2 تیر 1399', tehran)).toBe('2020-06-22');
    // اردیبهشت with Persian yeh and with Arabic yeh
    expect(value('۱۰ اردیبهشت ۱۳۹۹')).toBe('2020-04-29');
    expect(value('۱۰ ارديبهشت ۱۳۹۹')).toBe('2020-04-29');
    // the month دی with Arabic yeh, and a weekday written with Arabic kaf (يكشنبه)
    expect(parseDateText('يكشنبه ۱ دي ۱۳۹۸', noZone)).toMatchObject({ value: '2019-12-22', raw: 'يكشنبه ۱ دي ۱۳۹۸' });
  });

  it('reads ق.ظ and ب.ظ as AM and PM', () => {
    expect(value('2 تير 1399 - 12:09:08 ب.ظ', tehran)).toBe('2020-06-22T12:09:08+04:30');
    expect(value('2 تير 1399 - 03:15 ب.ظ', tehran)).toBe('2020-06-22T15:15:00+04:30');
    expect(value('2 تير 1399 - 12:15 ق.ظ', tehran)).toBe('2020-06-22T00:15:00+04:30');
    expect(value('2 تير 1399 - 09:15 ق ظ', tehran)).toBe('2020-06-22T09:15:00+04:30');
  });

  it('reads numeric Solar Hijri dates, also with mixed digit systems', () => {
    expect(value('۱۳۹۸/۱۱/۲۹')).toBe('2020-02-18');
    expect(value('1398/۱۱/29')).toBe('2020-02-18');
    expect(value('١٣٩٨/١١/٢٩')).toBe('2020-02-18'); // Arabic-Indic digits
    expect(value('۲۹ بهمن 1398 - 06:55', tehran)).toBe('2020-02-18T06:55:00+03:30');
  });

  it('knows Solar Hijri leap years: Esfand 30 exists only in a leap year', () => {
    // 1399 is leap (30 Esfand 1399 = 2021-03-20); 1398 and 1400 are not.
    expect(value('۳۰ اسفند ۱۳۹۹')).toBe('2021-03-20');
    expect(value('۳۰ اسفند ۱۳۹۸')).toBeNull();
    expect(value('۳۰ اسفند ۱۴۰۰')).toBeNull();
    // 1403 is leap: 30 Esfand 1403 = 2025-03-20 (after `now` here, so use a later clock)
    expect(value('۳۰ اسفند ۱۴۰۳', { now: new Date('2025-06-01T00:00:00Z') })).toBe('2025-03-20');
    expect(value('1 فروردین 1404', { now: new Date('2025-06-01T00:00:00Z') })).toBe('2025-03-21');
  });

  it('does not take a lunar Hijri year for a Solar Hijri one', () => {
    expect(value('1441/05/03 هـ')).toBeNull();
  });
});

describe('parseDateText: Gregorian dates in Arabic and Persian', () => {
  it.each([
    ['الثلاثاء، 18 فبراير 2020', '2020-02-18'],
    ['الأربعاء، 07 أكتوبر 2020 - 12:09 م', '2020-10-07T12:09:00'],
    ['07 اكتوبر 2020 - 01:09 م', '2020-10-07T13:09:00'],
    ['٢٥ ديسمبر ٢٠٢٠', '2020-12-25'],
    ['5 تشرين الأول 2019', '2019-10-05'],
    ['12 آب 2019', '2019-08-12'],
    ['۱۲ ژوئیه ۲۰۱۹', '2019-07-12'],
    ['3 أبريل 2021 10:30 ص', '2021-04-03T10:30:00'],
  ])('%s → %s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });
});

describe('parseDateText: time zones', () => {
  it('an explicit offset in the source wins over the site zone', () => {
    expect(value('2017-07-25T22:43:00+02:00', tehran)).toBe('2017-07-25T22:43:00+02:00');
  });

  it('a UTC stamp is shown in the site zone, same instant', () => {
    expect(parseDateText('2020-02-18T03:25:00Z', tehran)).toMatchObject({
      value: '2020-02-18T06:55:00+03:30',
      utc: '2020-02-18T03:25:00Z',
    });
  });

  it('Asia/Tehran: +04:30 in summer until 2022, +03:30 all year after', () => {
    expect(value('2021-07-01 12:00', tehran)).toBe('2021-07-01T12:00:00+04:30');
    expect(value('2022-07-01 12:00', tehran)).toBe('2022-07-01T12:00:00+04:30');
    expect(value('2023-07-01 12:00', tehran)).toBe('2023-07-01T12:00:00+03:30');
    expect(value('2017-01-10 12:00', tehran)).toBe('2017-01-10T12:00:00+03:30');
  });

  it('Asia/Tehran 2017: the last minute before and the first after the spring change', () => {
    expect(parseDateText('2017-03-21 23:59', tehran)?.utc).toBe('2017-03-21T20:29:00Z');
    expect(parseDateText('2017-03-22 01:00', tehran)?.utc).toBe('2017-03-21T20:30:00Z');
  });

  it('Asia/Tehran 2017: a skipped time is shown as the time it became', () => {
    expect(parseDateText('2017-03-22 00:30', tehran)).toMatchObject({
      value: '2017-03-22T01:30:00+04:30',
      utc: '2017-03-21T21:00:00Z',
    });
  });

  it('Asia/Tehran 2017: a repeated time in autumn takes the earlier (summer) instant', () => {
    expect(value('2017-09-21 23:30', tehran)).toBe('2017-09-21T23:30:00+04:30');
    expect(value('2017-09-21 22:59', tehran)).toBe('2017-09-21T22:59:00+04:30');
    expect(value('2017-09-22 00:00', tehran)).toBe('2017-09-22T00:00:00+03:30');
  });

  it('ignores an unknown zone name instead of failing', () => {
    expect(value('2017-07-25 22:43', { now, timeZone: 'Mars/Olympus' })).toBe('2017-07-25T22:43:00');
  });
});

describe('parseDateText: rejected', () => {
  it.each([
    ['1994-12-31'], // before 1995-01-01
    ['2024-03-30'], // after now + 1 day
    ['2024-03-29T13:00:00Z'], // a minute past now + 1 day
    ['2019-02-29'], // no such day
    ['31 April 2020'],
    ['2020-13-01'],
    ['July 2017'], // no day
    ['12:30'], // no date
    [''],
    ['version 1.2.3'],
  ])('%s', (text) => {
    expect(parseDateText(text, noZone)).toBeNull();
  });

  it('accepts the last moment within a day of now', () => {
    expect(value('2024-03-29')).toBe('2024-03-29');
    expect(value('1995-01-01')).toBe('1995-01-01');
  });
});

describe('Cyrillic and Polish month names', () => {
  it.each([
    ['15 августа 2016, 13:43', '2016-08-15T13:43:00'],
    ['3 травня 2021', '2021-05-03'],
    ['1 січня 2020', '2020-01-01'],
    ['12 października 2020', '2020-10-12'],
    ['7 мая 2019', '2019-05-07'],
  ])('reads %s', (text, value) => {
    expect(parseDateText(text, { now: new Date('2024-01-01T00:00:00Z') })?.value).toBe(value);
  });
});

describe('expandTwoDigitYear', () => {
  const now = new Date('2024-06-01T00:00:00Z');
  it.each([
    ['31.10.23', '31.10.2023'],
    ['02.12.19', '02.12.2019'],
    [' 1.2.24 ', '1.2.2024'],
    ['3.4.98', '3.4.1998'],
  ])('gives %s its century', (text, expanded) => {
    expect(expandTwoDigitYear(text, now)).toBe(expanded);
  });

  it.each(['Version 1.2.3', '31.10.2023', '32.10.23', '12.13.23', 'am 31.10.23'])('leaves %s alone', (text) => {
    expect(expandTwoDigitYear(text, now)).toBeNull();
  });
});
