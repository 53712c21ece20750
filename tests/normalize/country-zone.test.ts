import { describe, expect, it } from 'vitest';
import { countryZoneOfHost } from '../../src/normalize/country-zone.ts';

describe('countryZoneOfHost', () => {
  it.each([
    ['www.kas.de', 'de', 'Europe/Berlin'],
    ['news.bbc.co.uk', 'uk', 'Europe/London'],
    ['www.khabaronline.ir', 'ir', 'Asia/Tehran'],
    ['WWW.TALENT.CH', 'ch', 'Europe/Zurich'],
  ])('gives the one zone of %s', (host, country, zone) => {
    expect(countryZoneOfHost(host)).toEqual({ country, zone });
  });

  it.each(['www.example.com', 'www.nytimes.com', 'lenta.ru', 'www.abc.net.au', 'g1.globo.com.br', 'elpais.es', 'localhost'])(
    'gives none for %s (no country, or a country of several zones)',
    (host) => {
      expect(countryZoneOfHost(host)).toBeNull();
    },
  );

  it('gives only zones the runtime knows', () => {
    for (const host of ['a.de', 'a.ir', 'a.jp', 'a.in', 'a.vn', 'a.ma', 'a.az']) {
      const zone = countryZoneOfHost(host)?.zone;
      expect(zone).toBeDefined();
      expect(() => new Intl.DateTimeFormat('en', { timeZone: zone })).not.toThrow();
    }
  });
});
