// WsClient on its own, with fixed DNS answers: a name is checked on every address it resolves to (no DNS rebinding),
// wss: uses https: default ports for allowed_hosts, and nothing connects to a refused address. Test only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWsOpenRequest, WsClient, type WsOpenRequest } from './ws-client';
import { startTestWsServer, type TestWsServer } from './test-support/ws-test-server';

function request(url: string): WsOpenRequest {
  const r = parseWsOpenRequest(JSON.stringify({ url }));
  if (!('url' in r)) throw new Error(JSON.stringify(r));
  return r;
}

describe('WsClient host and address rules', () => {
  let server: TestWsServer;
  const clients: WsClient[] = [];
  const client = (dnsAnswers: Record<string, string[]>) => {
    const c = new WsClient({ dnsAnswers });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    server = await startTestWsServer();
  });
  afterAll(async () => {
    for (const c of clients) c.shutdown();
    await server.close();
  });

  it('refuses a name that resolves to a local address, whatever allowed_hosts says, without connecting', async () => {
    const before = await server.stats();
    const c = client({ 'obs.example.com': ['127.0.0.1'], 'mixed.example.com': ['127.0.0.1', '10.0.0.5'] });
    for (const hosts of [[], ['*'], ['obs.example.com'], [`obs.example.com:${server.port}`]]) {
      const r = c.open(request(`ws://obs.example.com:${server.port}/`), hosts, 2000, 100);
      expect(r, JSON.stringify(hosts)).toEqual({ denied: expect.stringContaining('obs.example.com resolves to 127.0.0.1, a loopback address') });
    }
    expect(c.open(request(`ws://mixed.example.com:${server.port}/`), [], 2000, 100)).toHaveProperty('denied');
    expect((await server.stats()).connections).toBe(before.connections);
  });

  it('connects only to the addresses that passed the check', async () => {
    const before = await server.stats();
    // 192.0.2.1 (TEST-NET-1) is public and unreachable; the loopback answer is dropped, never tried.
    const c = client({ 'half.example.com': ['127.0.0.1', '192.0.2.1'] });
    const r = c.open(request(`ws://half.example.com:${server.port}/`), [], 400, 100);
    expect(r).toHaveProperty('error');
    expect((await server.stats()).connections).toBe(before.connections);
  });

  it('matches allowed_hosts ports with ws: as 80 and wss: as 443', () => {
    const c = client({ 'secure.example.com': ['127.0.0.1'], 'plain.example.com': ['127.0.0.1'] });
    const resolved = { denied: expect.stringContaining('resolves to 127.0.0.1') };
    expect(c.open(request('wss://secure.example.com/'), ['secure.example.com:443'], 1000, 100)).toEqual(resolved);
    expect(c.open(request('wss://secure.example.com/'), ['secure.example.com:80'], 1000, 100)).toEqual({ denied: expect.stringContaining('is not in allowed_hosts') });
    expect(c.open(request('ws://plain.example.com/'), ['plain.example.com:80'], 1000, 100)).toEqual(resolved);
    expect(c.open(request('ws://plain.example.com/'), ['plain.example.com:443'], 1000, 100)).toEqual({ denied: expect.stringContaining('is not in allowed_hosts') });
  });

  it('send, recv and close on a client that never opened anything report closed', () => {
    const c = new WsClient();
    expect(c.send(1, false, new Uint8Array([104]), 100, 50)).toBe('closed');
    expect(c.recv(1, 0, 1024, 50)).toBe('closed');
    expect(c.close(1, 50)).toBe('closed');
    c.closeAll(1001, 'x');
    c.shutdown();
  });

  it('opens a real socket through a pinned name (localhost named in allowed_hosts)', async () => {
    const c = client({});
    const r = c.open(request(`ws://localhost:${server.port}/`), [`localhost:${server.port}`], 3000, 100);
    expect(r).toEqual({ handle: expect.any(Number), protocol: '' });
    if (!('handle' in r)) return;
    expect(c.send(r.handle, false, new TextEncoder().encode('pinned'), 1000, 100)).toBe('sent');
    const got = c.recv(r.handle, 2000, 1024, 100);
    expect(got !== 'closed' && 'bytes' in got ? new TextDecoder().decode(got.bytes) : got).toBe('{"type":"text","data":"pinned"}');
  });
});
