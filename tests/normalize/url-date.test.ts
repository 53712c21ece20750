import { describe, expect, it } from 'vitest';
import { dateFromUrl, monthFromUrl } from '../../src/normalize/url-date.ts';

const now = new Date('2024-03-28T12:00:00Z');

describe('dateFromUrl', () => {
  it.each([
    ['https://www.mercurynews.com/2023/11/08/another-bay-area-child/', '2023-11-08'],
    ['https://example.com/news/2017-07-25-title', '2017-07-25'],
    ['https://www.thelocal.se/20200428/meet-the-swede', '2020-04-28'],
    ['https://example.com/2017/7/5/title', '2017-07-05'],
  ])('%s → %s', (url, day) => {
    expect(dateFromUrl(url, { now })).toMatchObject({ value: day, precision: 'day', utc: null });
  });

  it('reads a Solar Hijri path as Solar Hijri, never as Gregorian', () => {
    expect(dateFromUrl('https://example.ir/news/1396/05/03/title', { now })?.value).toBe('2017-07-25');
  });

  it('needs a day, and a date in range', () => {
    expect(dateFromUrl('https://example.com/wp-content/uploads/2016/05/map.png', { now })).toBeNull();
    expect(dateFromUrl('https://example.com/2030/01/01/future', { now })).toBeNull();
    expect(dateFromUrl('https://example.com/news/458812/title', { now })).toBeNull();
  });
});

describe('monthFromUrl', () => {
  it.each([
    ['http://www.pbrunst.de/news/2011/12/kein-cyberterrorismus-diesmal/', '2011-12'],
    ['https://blog.example.org/2018/8/post', '2018-08'],
  ])('reads the month of %s', (url, month) => {
    expect(monthFromUrl(url)).toBe(month);
  });

  it.each(['https://blog.example.org/2018/08/12/post/', 'https://example.com/news/20170725/x', 'https://example.com/about/', 'https://example.com/2018/13/x'])(
    'gives none for %s (a full day, or no month)',
    (url) => {
      expect(monthFromUrl(url)).toBeNull();
    },
  );
});
