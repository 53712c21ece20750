import { describe, expect, it } from 'vitest';
import {
  forbiddenAddressReason,
  forbiddenHostnameReason,
  hostnameIsLiteralForbidden,
} from '../../src/fetch/address-policy.ts';

describe('forbiddenAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ['4000::1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback (IPv4-mapped IPv6)'],
    ['::ffff:7f00:1', 'loopback (IPv4-mapped IPv6)'],
    ['::ffff:169.254.169.254', 'link-local (IPv4-mapped IPv6)'],
    ['::ffff:10.0.0.1', 'private (IPv4-mapped IPv6)'],
    ['::7f00:1', 'loopback (IPv4-compatible IPv6)'],
    ['::ffff:0:a00:1', 'private (IPv4-translated IPv6)'],
    ['64:ff9b::a9fe:a9fe', 'link-local (NAT64)'],
    ['64:ff9b:1::1', 'private'],
    ['2002:7f00:1::1', 'loopback (6to4)'],
    ['2002:c0a8:101::1', 'private (6to4)'],
    ['[::1]', 'loopback'],
  ])('%s is refused as %s', (ip, reason) => {
    expect(forbiddenAddressReason(ip)).toBe(reason);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.215.14',
    '172.32.0.1',
    '100.128.0.1',
    '169.255.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is allowed', (ip) => {
    expect(forbiddenAddressReason(ip)).toBeNull();
  });

  it.each(['2130706433', '0x7f000001', '0177.0.0.1', '127.1'])(
    'classifies the inet_aton spelling %s as loopback',
    (ip) => {
      expect(forbiddenAddressReason(ip)).toBe('loopback');
    },
  );

  it('refuses what is not an IP address', () => {
    expect(forbiddenAddressReason('example.com')).toBe('not an IP address');
    expect(forbiddenAddressReason('')).toBe('not an IP address');
  });
});

describe('forbiddenHostnameReason', () => {
  it.each([
    ['2130706433', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['0x7F.1', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['0177.1', 'loopback'],
    ['127.1', 'loopback'],
    ['127.0.1', 'loopback'],
    ['127.0.0.1.', 'loopback'],
    ['0', 'unspecified'],
    ['0.0.0.0', 'unspecified'],
    ['0xa9fea9fe', 'link-local'],
    ['2852039166', 'link-local'],
    ['169.254.43518', 'link-local'],
    ['0251.0376.0251.0376', 'link-local'],
    ['012.0.0.1', 'private'],
    ['localhost', 'loopback'],
    ['LOCALHOST', 'loopback'],
    ['localhost.', 'loopback'],
    ['api.localhost', 'loopback'],
    ['localhost.localdomain', 'loopback'],
    ['[::1]', 'loopback'],
    ['[0:0:0:0:0:0:0:1]', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback (IPv4-mapped IPv6)'],
    ['[::ffff:7f00:1]', 'loopback (IPv4-mapped IPv6)'],
    ['[::ffff:169.254.169.254]', 'link-local (IPv4-mapped IPv6)'],
    ['[fe80::1]', 'link-local'],
    ['[fd00::1]', 'private'],
    ['１２７.０.０.１', 'loopback'], // fullwidth digits: IDNA maps them to ASCII
  ])('refuses %s as %s', (hostname, reason) => {
    expect(forbiddenHostnameReason(hostname)).toBe(reason);
    expect(hostnameIsLiteralForbidden(hostname)).toBe(true);
  });

  it.each(['example.com', 'localhost.example.com', 'mylocalhost', '8.8.8.8', '[2606:4700::1111]', '127.0.0.1.nip.io'])(
    'leaves %s to DNS',
    (hostname) => {
      expect(forbiddenHostnameReason(hostname)).toBeNull();
      expect(hostnameIsLiteralForbidden(hostname)).toBe(false);
    },
  );

  it('refuses what is not a host name', () => {
    expect(forbiddenHostnameReason('')).toBe('not a host name');
    expect(forbiddenHostnameReason('exa mple.com')).toBe('not a host name');
  });

  it.each([
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0x7f.0.0.1/',
    'http://0177.0.0.01/',
    'http://127.1/',
    'http://localhost:8080/',
    'http://LocalHost./',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://%31%32%37.0.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:a9fe:a9fe]/',
  ])('refuses the host WHATWG URL gives for %s', (url) => {
    const { hostname } = new URL(url);
    expect(hostnameIsLiteralForbidden(hostname)).toBe(true);
  });
});
