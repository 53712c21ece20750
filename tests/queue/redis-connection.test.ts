import { describe, expect, it } from 'vitest';
import { isClusterUrl, parseClusterUrl } from '../../src/queue/redis-connection.ts';

describe('cluster REDIS_URL', () => {
  it('tells a cluster URL from a single-server one', () => {
    expect(isClusterUrl('redis+cluster://127.0.0.1:6401')).toBe(true);
    expect(isClusterUrl('rediss+cluster://cache.example:6380')).toBe(true);
    expect(isClusterUrl('redis://127.0.0.1:6379')).toBe(false);
  });

  it('reads the seed nodes, default port, IPv6 seeds, TLS and credentials', () => {
    expect(parseClusterUrl('redis+cluster://127.0.0.1:6401,127.0.0.1:6402,[::1]:6403,cache.example')).toEqual({
      nodes: [
        { host: '127.0.0.1', port: 6401 },
        { host: '127.0.0.1', port: 6402 },
        { host: '::1', port: 6403 },
        { host: 'cache.example', port: 6379 },
      ],
      tls: false,
    });
    expect(parseClusterUrl('rediss+cluster://app:s%40cret@10.0.0.1:6380/')).toEqual({
      nodes: [{ host: '10.0.0.1', port: 6380 }],
      tls: true,
      username: 'app',
      password: 's@cret',
    });
    expect(parseClusterUrl('redis+cluster://:only-password@10.0.0.1:6380')).toMatchObject({ password: 'only-password' });
  });

  it('refuses a malformed seed list with the seed named', () => {
    expect(() => parseClusterUrl('redis+cluster://')).toThrow(/not a cluster URL/);
    expect(() => parseClusterUrl('redis+cluster://127.0.0.1:6401,:6402')).toThrow(/":6402" is not host:port/);
    expect(() => parseClusterUrl('redis+cluster://127.0.0.1:6401/0')).toThrow(/not a cluster URL/);
  });
});
