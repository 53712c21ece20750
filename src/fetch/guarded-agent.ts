/**
 * The undici dispatcher every page and robots.txt fetch goes through. Unless private networks
 * are allowed, it refuses to connect to loopback, private, link-local (cloud metadata), CGNAT,
 * multicast, reserved and IPv4-mapped forms of them (address-policy.ts), judged on the address
 * actually connected to:
 *
 * 1. a literal IP host is checked before connecting (no DNS is involved);
 * 2. a host name is resolved with every address (`all: true`), and if any is forbidden the
 *    connection is refused before it is opened, so DNS rebinding and redirects to internal
 *    names fail here, whatever the URL looked like;
 * 3. after connecting, the socket's remote address is checked once more (defence in depth, for
 *    any path that bypassed the lookup).
 *
 * Refusals are `ForbiddenAddressError`s (permanent, reason "forbidden-address"). undici's
 * `request` rejects with it; `fetch` rejects with TypeError("fetch failed") whose `cause` is it
 * (`toFetchError` in fetch-errors.ts unwraps both).
 */
import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { forbiddenAddressReason, forbiddenHostnameReason } from './address-policy.ts';
import { ForbiddenAddressError } from './fetch-errors.ts';

export interface GuardedAgentOptions {
  /** Lift the address guard (ALLOW_PRIVATE_NETWORKS): for intranets and loopback tests. */
  allowPrivateNetworks: boolean;
  /** Limit for DNS lookup plus TCP (and TLS) connect, per connection. */
  connectTimeoutMs: number;
  /**
   * Limit from sending the request to receiving the complete response headers (slow-headers
   * servers). @defaultValue undici's 300 000 ms
   */
  headersTimeoutMs?: number;
  /**
   * Longest silence between two body chunks. Not a whole-body limit: a server trickling one
   * byte a second never trips it; readBody's `deadline` is that limit.
   * @defaultValue undici's 300 000 ms
   */
  bodyTimeoutMs?: number;
  /**
   * CIDR ranges allowed although the policy forbids them ("10.20.0.0/16" for one intranet,
   * "127.0.0.0/8" for loopback-only tests), when `allowPrivateNetworks` is false.
   * @defaultValue none
   */
  allowedRanges?: readonly string[];
  /** Resolver used for host names. @defaultValue dns.lookup (tests inject one to fake DNS). */
  lookup?: LookupFunction;
}

/** A dispatcher (undici Agent) that applies the address policy on every connection. */
export function createGuardedAgent(options: GuardedAgentOptions): Dispatcher {
  const resolve: LookupFunction = options.lookup ?? (dns.lookup as unknown as LookupFunction);
  const refusal = addressRefusal(options.allowedRanges ?? []);
  const baseConnect = buildConnector({
    timeout: options.connectTimeoutMs,
    lookup: options.allowPrivateNetworks ? resolve : guardedLookup(resolve, refusal),
  });
  const connect: buildConnector.connector = options.allowPrivateNetworks
    ? baseConnect
    : guardedConnector(baseConnect, refusal);
  return new Agent({
    connect,
    ...(options.headersTimeoutMs === undefined ? {} : { headersTimeout: options.headersTimeoutMs }),
    ...(options.bodyTimeoutMs === undefined ? {} : { bodyTimeout: options.bodyTimeoutMs }),
  });
}

/**
 * A `net.connect` lookup that resolves every address of the name and fails with
 * ForbiddenAddressError when any of them is forbidden (a name that resolves to both a public and
 * an internal address is a rebinding attempt, not a site), answering in whichever shape
 * (`all` or single address) net asked for.
 */
export function guardedLookup(
  resolve: LookupFunction,
  refusal: (address: string) => string | null = forbiddenAddressReason,
): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolve(hostname, { ...lookupOptions, all: true }, (error, result, family) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const addresses: dns.LookupAddress[] =
        typeof result === 'string' ? [{ address: result, family: family ?? net.isIP(result) }] : result;
      for (const { address } of addresses) {
        const reason = refusal(address);
        if (reason !== null) {
          callback(new ForbiddenAddressError(hostname, address, reason), '', 0);
          return;
        }
      }
      const first = addresses[0];
      if (first === undefined) {
        callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      } else if (lookupOptions.all) {
        callback(null, addresses);
      } else {
        callback(null, first.address, first.family);
      }
    });
  };
}

/** What a localhost name stands for. */
const LOOPBACK_ADDRESS = '127.0.0.1';

function isLoopbackName(hostname: string): boolean {
  return net.isIP(hostname) === 0 && forbiddenHostnameReason(hostname) === 'loopback';
}

/** The policy, minus the explicitly allowed ranges. */
function addressRefusal(allowedRanges: readonly string[]): (address: string) => string | null {
  const allowed = allowedRanges.map((cidr) => ipaddr.parseCIDR(cidr));
  if (allowed.length === 0) return forbiddenAddressReason;
  return (address) => {
    const reason = forbiddenAddressReason(address);
    if (reason === null || !ipaddr.isValid(address)) return reason;
    const parsed = ipaddr.process(address); // IPv4-mapped IPv6 is judged as its IPv4 address
    return allowed.some((range) => parsed.kind() === range[0].kind() && parsed.match(range)) ? null : reason;
  };
}

/** Checks literal IP hosts before connecting and the remote address after. */
function guardedConnector(
  connect: buildConnector.connector,
  refusal: (address: string) => string | null,
): buildConnector.connector {
  return (connectOptions, callback) => {
    const { hostname } = connectOptions;
    // A literal IP skips DNS, and "localhost." may not reach a resolver that knows it: judge both
    // here, a localhost name as the loopback address it stands for.
    const literal = net.isIP(hostname) !== 0 ? hostname : isLoopbackName(hostname) ? LOOPBACK_ADDRESS : null;
    if (literal !== null) {
      const reason = refusal(literal);
      if (reason !== null) {
        callback(new ForbiddenAddressError(hostname, literal, reason), null);
        return;
      }
    }
    connect(connectOptions, (error, socket) => {
      if (error !== null || socket === null) {
        callback(error ?? new Error('connect failed without an error'), null);
        return;
      }
      const remote = socket.remoteAddress;
      const reason = remote === undefined ? 'unknown remote address' : refusal(remote);
      if (reason !== null) {
        socket.destroy();
        callback(new ForbiddenAddressError(hostname, remote ?? 'unknown', reason), null);
        return;
      }
      callback(null, socket);
    });
  };
}
