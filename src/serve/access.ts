/**
 * Who may use the server: loopback-only without a token; with API_TOKEN, every request but the
 * health check carries it, as `Authorization: Bearer TOKEN` (programs) or as the password of
 * HTTP Basic (a browser asks for it). Pure helpers, used by the app's middleware and the CLI.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { CommandFailedError } from '../errors.ts';

/** 127.0.0.0/8, ::1 and "localhost": the addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare.toLowerCase() === 'localhost') return true;
  if (!ipaddr.isValid(bare)) return false;
  const address = ipaddr.process(bare);
  return address.range() === 'loopback';
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The token a request presents (Bearer, or Basic with any user name), or null. */
export function presentedToken(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}

/** Compare in constant time (over digests, so lengths do not leak either). */
export function tokenMatches(presented: string | null, expected: string): boolean {
  if (presented === null || expected === '') return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Refuse to expose the server beyond this machine without a token. */
export function assertSafeBinding(host: string, token: string): void {
  if (!isLoopbackHost(host) && token === '') {
    throw new CommandFailedError(
      `refusing to listen on ${host} without API_TOKEN: anyone who can reach it could read the database and the queues. Set API_TOKEN (16+ characters) or listen on 127.0.0.1`,
    );
  }
}
