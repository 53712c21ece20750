import type { LookupAddress } from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import { fetch, request, type Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { ForbiddenAddressError, toFetchError } from '../../src/fetch/fetch-errors.ts';
import { createGuardedAgent } from '../../src/fetch/guarded-agent.ts';
import { OK_TITLE, startFaultServer, type FaultServer } from '../helpers/fault-server.ts';

/** A fake DNS: names map to the given addresses; anything else does not resolve. Never real DNS. */
function fakeDns(table: Record<string, string[]>): LookupFunction {
  return (hostname, options, callback) => {
    const addresses = table[hostname];
    if (addresses === undefined) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    const all: LookupAddress[] = addresses.map((address) => ({ address, family: net.isIP(address) }));
    if (options.all) callback(null, all);
    else callback(null, all[0]!.address, all[0]!.family);
  };
}

async function refusal(promise: Promise<unknown>): Promise<ForbiddenAddressError> {
  try {
    await promise;
  } catch (error) {
    const fetchError = toFetchError(error);
    expect(fetchError).toBeInstanceOf(ForbiddenAddressError);
    return fetchError as ForbiddenAddressError;
  }
  throw new Error('expected the connection to be refused');
}

let server: FaultServer;
const agents: Dispatcher[] = [];
function agent(options: Partial<Parameters<typeof createGuardedAgent>[0]> = {}): Dispatcher {
  const created = createGuardedAgent({ allowPrivateNetworks: false, connectTimeoutMs: 2000, ...options });
  agents.push(created);
  return created;
}

/** Hosts every net.connect was asked for: proves what was (not) connected to. */
let connectSpy: MockInstance<(options: { host?: string }) => net.Socket> | undefined;
function connectedHosts(): string[] {
  return (connectSpy?.mock.calls ?? []).map(([options]) => String(options.host));
}

beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await Promise.all(agents.map((created) => created.close()));
  await server.close();
});
afterEach(() => {
  connectSpy?.mockRestore();
});

function spyOnConnect(): void {
  connectSpy = vi.spyOn(net, 'connect') as unknown as MockInstance<(options: { host?: string }) => net.Socket>;
}

describe('createGuardedAgent', () => {
  it('refuses a loopback server by default, before connecting', async () => {
    spyOnConnect();
    const before = server.connections;
    const error = await refusal(request(server.url('/ok'), { dispatcher: agent() }));
    expect(error.reason).toBe('forbidden-address');
    expect(error.kind).toBe('permanent');
    expect(error.address).toBe('127.0.0.1');
    expect(error.policyReason).toBe('loopback');
    expect(server.connections).toBe(before);
    expect(connectedHosts()).toEqual([]);
  });

  it('allows the loopback server with allowPrivateNetworks', async () => {
    spyOnConnect();
    const response = await request(server.url('/ok'), { dispatcher: agent({ allowPrivateNetworks: true }) });
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toContain(OK_TITLE);
    expect(connectedHosts()).toEqual(['127.0.0.1']); // the spy sees real connections
  });

  it('allows it through fetch() too', async () => {
    const response = await fetch(server.url('/ok'), { dispatcher: agent({ allowPrivateNetworks: true }) });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(OK_TITLE);
  });

  it('refuses through fetch() with the ForbiddenAddressError as the cause', async () => {
    const before = server.connections;
    const error = await refusal(fetch(server.url('/ok'), { dispatcher: agent() }));
    expect(error.address).toBe('127.0.0.1');
    expect(server.connections).toBe(before);
  });

  it.each([
    ['decimal', 'http://2130706433:PORT/ok'],
    ['hex', 'http://0x7f000001:PORT/ok'],
    ['dotted hex', 'http://0x7f.0x0.0x0.0x1:PORT/ok'],
    ['octal', 'http://0177.0.0.01:PORT/ok'],
    ['short form', 'http://127.1:PORT/ok'],
    ['another loopback address', 'http://127.0.0.2:PORT/ok'],
    ['IPv6 loopback', 'http://[::1]:PORT/ok'],
    ['IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]:PORT/ok'],
    ['unspecified', 'http://0.0.0.0:PORT/ok'],
    ['localhost', 'http://localhost:PORT/ok'],
    ['LOCALHOST.', 'http://LOCALHOST.:PORT/ok'],
  ])('refuses the %s spelling without reaching the server', async (_name, template) => {
    const before = server.connections;
    const error = await refusal(request(template.replace('PORT', String(server.port)), { dispatcher: agent() }));
    expect(error.policyReason).toMatch(/loopback|unspecified/);
    expect(server.connections).toBe(before);
  });

  it('refuses a name that resolves to loopback (DNS rebinding), on the resolved address', async () => {
    spyOnConnect();
    const before = server.connections;
    const dispatcher = agent({ lookup: fakeDns({ 'news.example': ['127.0.0.1'] }) });
    const error = await refusal(request(`http://news.example:${server.port}/ok`, { dispatcher }));
    expect(error.hostname).toBe('news.example');
    expect(error.address).toBe('127.0.0.1');
    expect(error.message).toBe('refused to connect to news.example (127.0.0.1): loopback address');
    expect(server.connections).toBe(before);
  });

  it('refuses a name when any of its addresses is forbidden, connecting to none', async () => {
    const before = server.connections;
    // 127.0.0.1 is allowed here and serves the page: only the refusal keeps us from connecting.
    const dispatcher = agent({
      allowedRanges: ['127.0.0.0/8'],
      lookup: fakeDns({ 'mixed.example': ['127.0.0.1', '169.254.169.254'] }),
    });
    const error = await refusal(request(`http://mixed.example:${server.port}/ok`, { dispatcher }));
    expect(error.address).toBe('169.254.169.254');
    expect(error.policyReason).toBe('link-local');
    expect(server.connections).toBe(before);
  });

  it('refuses IPv4-mapped answers from DNS', async () => {
    const dispatcher = agent({ lookup: fakeDns({ 'mapped.example': ['::ffff:127.0.0.1'] }) });
    const error = await refusal(request(`http://mapped.example:${server.port}/ok`, { dispatcher }));
    expect(error.policyReason).toBe('loopback (IPv4-mapped IPv6)');
  });

  it('connects a resolved name when private networks are allowed', async () => {
    const dispatcher = agent({
      allowPrivateNetworks: true,
      lookup: fakeDns({ 'news.example': ['127.0.0.1'] }),
    });
    const response = await request(`http://news.example:${server.port}/ok`, { dispatcher });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    expect(server.requests.at(-1)?.host).toBe(`news.example:${server.port}`);
  });

  it('allows explicitly allowed ranges and still refuses the rest', async () => {
    const dispatcher = agent({ allowedRanges: ['127.0.0.0/8'] });
    const response = await request(server.url('/ok'), { dispatcher });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    const error = await refusal(request('http://169.254.169.254/latest/meta-data/', { dispatcher }));
    expect(error.policyReason).toBe('link-local');
  });

  it('refuses a redirect to the metadata address before connecting to it', async () => {
    spyOnConnect();
    const dispatcher = agent({ allowedRanges: ['127.0.0.0/8'] });
    const error = await refusal(fetch(server.url('/redirect-metadata'), { dispatcher })); // fetch follows redirects
    expect(error.address).toBe('169.254.169.254');
    expect(error.policyReason).toBe('link-local');
    expect(server.requests.at(-1)?.path).toBe('/redirect-metadata');
    expect(connectedHosts()).toEqual(['127.0.0.1']);
  });

  it('passes DNS failures through as they are', async () => {
    const dispatcher = agent({ lookup: fakeDns({}) });
    await expect(request('http://nowhere.example/', { dispatcher })).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});
