/**
 * The one time zone of a country, from a host's country-code top-level domain: "kas.de" →
 * Europe/Berlin, "bbc.co.uk" → Europe/London. Only countries that keep a single zone for all of
 * their territory are listed (not .us, .ru, .au, .br, .ca, .mx, .es with the Canaries, .pt with
 * the Azores, .ua, .kz, .id, …): for those a domain says nothing about the publisher's clock,
 * and no zone is given rather than a guessed one.
 */
const SINGLE_ZONE_COUNTRIES: ReadonlyMap<string, string> = new Map([
  ['de', 'Europe/Berlin'], ['at', 'Europe/Vienna'], ['ch', 'Europe/Zurich'], ['li', 'Europe/Vaduz'],
  ['fr', 'Europe/Paris'], ['it', 'Europe/Rome'], ['nl', 'Europe/Amsterdam'], ['be', 'Europe/Brussels'],
  ['lu', 'Europe/Luxembourg'], ['dk', 'Europe/Copenhagen'], ['se', 'Europe/Stockholm'], ['no', 'Europe/Oslo'],
  ['fi', 'Europe/Helsinki'], ['pl', 'Europe/Warsaw'], ['cz', 'Europe/Prague'], ['sk', 'Europe/Bratislava'],
  ['hu', 'Europe/Budapest'], ['si', 'Europe/Ljubljana'], ['hr', 'Europe/Zagreb'], ['rs', 'Europe/Belgrade'],
  ['ro', 'Europe/Bucharest'], ['bg', 'Europe/Sofia'], ['gr', 'Europe/Athens'], ['ie', 'Europe/Dublin'],
  ['uk', 'Europe/London'], ['tr', 'Europe/Istanbul'], ['il', 'Asia/Jerusalem'], ['ir', 'Asia/Tehran'],
  ['af', 'Asia/Kabul'], ['iq', 'Asia/Baghdad'], ['sy', 'Asia/Damascus'], ['lb', 'Asia/Beirut'],
  ['jo', 'Asia/Amman'], ['sa', 'Asia/Riyadh'], ['ae', 'Asia/Dubai'], ['qa', 'Asia/Qatar'],
  ['kw', 'Asia/Kuwait'], ['bh', 'Asia/Bahrain'], ['om', 'Asia/Muscat'], ['eg', 'Africa/Cairo'],
  ['az', 'Asia/Baku'], ['am', 'Asia/Yerevan'], ['ge', 'Asia/Tbilisi'], ['pk', 'Asia/Karachi'],
  ['in', 'Asia/Kolkata'], ['bd', 'Asia/Dhaka'], ['jp', 'Asia/Tokyo'], ['kr', 'Asia/Seoul'],
  ['cn', 'Asia/Shanghai'], ['tw', 'Asia/Taipei'], ['hk', 'Asia/Hong_Kong'], ['sg', 'Asia/Singapore'],
  ['ph', 'Asia/Manila'], ['th', 'Asia/Bangkok'], ['vn', 'Asia/Ho_Chi_Minh'], ['my', 'Asia/Kuala_Lumpur'],
  ['za', 'Africa/Johannesburg'], ['ng', 'Africa/Lagos'], ['ke', 'Africa/Nairobi'], ['ma', 'Africa/Casablanca'],
  ['tn', 'Africa/Tunis'], ['dz', 'Africa/Algiers'],
]);

/** The country code and its one zone for a host ("www.kas.de"), or null. */
export function countryZoneOfHost(host: string): { country: string; zone: string } | null {
  const country = /\.([a-z]{2})\.?$/i.exec(host)?.[1]?.toLowerCase();
  if (country === undefined) return null;
  const zone = SINGLE_ZONE_COUNTRIES.get(country);
  return zone === undefined ? null : { country, zone };
}
