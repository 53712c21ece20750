/**
 * Network safety (SSRF): which addresses the crawler refuses to connect to unless
 * ALLOW_PRIVATE_NETWORKS is set. Pure: classifies strings, no DNS.
 *
 * The real guard is guarded-agent.ts, which applies `forbiddenAddressReason` to every address DNS
 * returns and to literal IP hosts, right before connecting. `forbiddenHostnameReason` is the early,
 * DNS-free refusal of hosts that are forbidden whatever DNS says (IP literals in any spelling,
 * localhost names), so such URLs fail at enqueue time with a clear reason.
 */
import ipaddr from 'ipaddr.js';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/** Why an IPv4 range is refused; the first matching row wins (broadcast before 240/4). */
const FORBIDDEN_IPV4_RANGES: ReadonlyArray<readonly [cidr: string, reason: string]> = [
  ['255.255.255.255/32', 'broadcast'],
  ['0.0.0.0/8', 'unspecified'], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['127.0.0.0/8', 'loopback'],
  ['10.0.0.0/8', 'private'], // RFC 1918
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['169.254.0.0/16', 'link-local'], // RFC 3927; includes the cloud metadata address 169.254.169.254
  ['100.64.0.0/10', 'carrier-grade NAT'], // RFC 6598, shared address space, often internal
  ['224.0.0.0/4', 'multicast'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments (RFC 6890)
  ['192.0.2.0/24', 'reserved'], // TEST-NET-1 (RFC 5737)
  ['198.51.100.0/24', 'reserved'], // TEST-NET-2
  ['203.0.113.0/24', 'reserved'], // TEST-NET-3
  ['192.88.99.0/24', 'reserved'], // deprecated 6to4 relay anycast (RFC 7526)
  ['198.18.0.0/15', 'reserved'], // benchmarking (RFC 2544)
  ['240.0.0.0/4', 'reserved'], // future use (RFC 1112)
];

/**
 * Why an IPv6 range is refused; the first matching row wins. Ranges that embed an IPv4 address
 * are not here: they are classified by the address they embed (see `embeddedIPv4`).
 */
const FORBIDDEN_IPV6_RANGES: ReadonlyArray<readonly [cidr: string, reason: string]> = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'private'], // unique local addresses (RFC 4193)
  ['fec0::/10', 'private'], // deprecated site-local (RFC 3879)
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
  ['64:ff9b:1::/48', 'private'], // local-use NAT64 prefix (RFC 8215)
  ['2001::/32', 'reserved'], // Teredo: tunnels to an obfuscated IPv4 address; no public site uses it
  ['2001:2::/48', 'reserved'], // benchmarking (RFC 5180)
  ['2001:db8::/32', 'reserved'], // documentation (RFC 3849)
  ['3fff::/20', 'reserved'], // documentation (RFC 9637)
  ['100::/64', 'reserved'], // discard-only (RFC 6666)
];

/** All globally routable IPv6 unicast is allocated from 2000::/3; the rest is IANA-reserved. */
const IPV6_GLOBAL_UNICAST = '2000::/3';

/**
 * IPv6 prefixes that carry an IPv4 address in their low 32 bits (or, for 6to4, bits 16–47).
 * Connecting to one of these reaches (or may reach) that IPv4 host, so it is judged as that host.
 */
const IPV4_EMBEDDING_PREFIXES: ReadonlyArray<readonly [cidr: string, name: string]> = [
  ['::ffff:0:0/96', 'IPv4-mapped IPv6'],
  ['::ffff:0:0:0/96', 'IPv4-translated IPv6'], // RFC 6145 (SIIT)
  ['64:ff9b::/96', 'NAT64'], // RFC 6052 well-known prefix
  ['::/96', 'IPv4-compatible IPv6'], // deprecated (RFC 4291); :: and ::1 are matched first
];
const SIX_TO_FOUR = '2002::/16'; // RFC 3056: 2002:AABB:CCDD::/48 embeds AA.BB.CC.DD

/**
 * Host names that mean "this machine" without asking DNS: RFC 6761 reserves localhost and
 * *.localhost; the rest are common /etc/hosts aliases of the loopback address.
 */
const LOOPBACK_NAMES: ReadonlySet<string> = new Set([
  'localhost',
  'localhost.localdomain',
  'ip6-localhost',
  'ip6-loopback',
]);

const parsedV4 = FORBIDDEN_IPV4_RANGES.map(([cidr, reason]) => [ipaddr.IPv4.parseCIDR(cidr), reason] as const);
const parsedV6 = FORBIDDEN_IPV6_RANGES.map(([cidr, reason]) => [ipaddr.IPv6.parseCIDR(cidr), reason] as const);
const parsedEmbeddings = IPV4_EMBEDDING_PREFIXES.map(([cidr, name]) => [ipaddr.IPv6.parseCIDR(cidr), name] as const);
const globalUnicast = ipaddr.IPv6.parseCIDR(IPV6_GLOBAL_UNICAST);
const sixToFour = ipaddr.IPv6.parseCIDR(SIX_TO_FOUR);

/**
 * Why connecting to this IP address is refused ("loopback", "private", "link-local",
 * "carrier-grade NAT", "multicast", "unspecified", "broadcast", "reserved", with
 * " (IPv4-mapped IPv6)" and the like appended when an IPv6 address embeds a refused IPv4 one),
 * or null when it is a public address.
 * Accepts every IPv4 spelling inet_aton accepts (decimal, hex, octal, short forms), bracketed
 * IPv6 and IPv6 zone ids; a string that is not an IP address is refused as "not an IP address".
 */
export function forbiddenAddressReason(ip: string): string | null {
  const address = parseIp(ip);
  if (address === null) return 'not an IP address';
  return address.kind() === 'ipv4' ? ipv4Reason(address as IPv4) : ipv6Reason(address as IPv6);
}

/**
 * Why a URL host name is refused before any DNS lookup, or null when only DNS can tell.
 * Refuses IP literals in a forbidden range, in any spelling ("2130706433", "0x7f000001",
 * "0177.0.0.1", "127.1", "[::1]", "[::ffff:127.0.0.1]"), and localhost names ("localhost",
 * "LOCALHOST.", "a.localhost"). Names are first normalized as the WHATWG URL parser (and so
 * undici) would, so what is checked is what would be connected to.
 */
export function forbiddenHostnameReason(hostname: string): string | null {
  const host = normalizeHost(hostname);
  if (host === null) return 'not a host name';
  if (LOOPBACK_NAMES.has(host) || host.endsWith('.localhost')) return 'loopback';
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (!ipaddr.isValid(literal)) return null;
  return forbiddenAddressReason(literal);
}

/** True when `forbiddenHostnameReason` refuses the host name. */
export function hostnameIsLiteralForbidden(hostname: string): boolean {
  return forbiddenHostnameReason(hostname) !== null;
}

function ipv4Reason(address: IPv4): string | null {
  for (const [range, reason] of parsedV4) if (address.match(range)) return reason;
  return null;
}

function ipv6Reason(address: IPv6): string | null {
  for (const [range, reason] of parsedV6) if (address.match(range)) return reason;
  const embedded = embeddedIPv4(address);
  if (embedded !== null) {
    const reason = ipv4Reason(embedded.ipv4);
    return reason === null ? null : `${reason} (${embedded.via})`;
  }
  if (!address.match(globalUnicast)) return 'reserved';
  return null;
}

/** The IPv4 address an IPv6 address stands for, and how, or null. */
function embeddedIPv4(address: IPv6): { ipv4: IPv4; via: string } | null {
  const bytes = address.toByteArray();
  for (const [range, via] of parsedEmbeddings) {
    if (address.match(range)) return { ipv4: new ipaddr.IPv4(bytes.slice(12, 16)), via };
  }
  if (address.match(sixToFour)) return { ipv4: new ipaddr.IPv4(bytes.slice(2, 6)), via: '6to4' };
  return null;
}

function parseIp(ip: string): IPv4 | IPv6 | null {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  try {
    return ipaddr.parse(bare);
  } catch {
    return null;
  }
}

/** Lowercased host as the WHATWG URL parser normalizes it, without a trailing dot; null if invalid. */
function normalizeHost(hostname: string): string | null {
  const trimmed = hostname.trim();
  if (trimmed === '') return null;
  let host: string;
  try {
    host = new URL(`http://${trimmed}/`).hostname;
  } catch {
    return null;
  }
  return host.toLowerCase().replace(/\.$/, '');
}
