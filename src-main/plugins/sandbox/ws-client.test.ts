// parseWsOpenRequest: the ws_open request JSON — what is accepted, what is invalid (-1), what is refused (-3).
// Pure parsing only: never opens a socket or starts the worker (the integration tests do that).
import { describe, expect, it } from 'vitest';
import { parseWsOpenRequest } from './ws-client';

const parse = (request: unknown) => parseWsOpenRequest(typeof request === 'string' ? request : JSON.stringify(request));

describe('parseWsOpenRequest', () => {
  it('accepts ws: and wss: URLs with optional subprotocols', () => {
    const plain = parse({ url: 'ws://127.0.0.1:4455' });
    expect(plain).toMatchObject({ protocols: [] });
    expect('url' in plain && plain.url.href).toBe('ws://127.0.0.1:4455/');
    const obs = parse({ url: 'wss://obs.example.com/socket?x=1', protocols: ['obswebsocket.json', 'obswebsocket.msgpack'] });
    expect(obs).toMatchObject({ protocols: ['obswebsocket.json', 'obswebsocket.msgpack'] });
    expect('url' in obs && obs.url.href).toBe('wss://obs.example.com/socket?x=1');
  });

  it('refuses every other scheme', () => {
    for (const url of ['http://127.0.0.1/', 'https://example.com/', 'file:///etc/passwd', 'ws+unix:/tmp/s', 'data:,x']) {
      expect(parse({ url }), url).toEqual({ denied: expect.stringMatching(/^only ws: and wss: URLs are allowed/) });
    }
  });

  it('rejects malformed requests', () => {
    const cases: unknown[] = [
      '{"url":',
      '[]',
      'null',
      {},
      { url: 5 },
      { url: 'not a url' },
      { url: 'ws://u:p@example.com/' },
      { url: 'ws://example.com/#x' },
      { url: 'ws://example.com/', headers: {} },
      { url: 'ws://example.com/', protocols: 'chat' },
      { url: 'ws://example.com/', protocols: [1] },
      { url: 'ws://example.com/', protocols: [''] },
      { url: 'ws://example.com/', protocols: ['a,b'] },
      { url: 'ws://example.com/', protocols: ['chat', 'chat'] },
      { url: 'ws://example.com/', protocols: Array.from({ length: 17 }, (_, i) => `p${i}`) },
    ];
    for (const c of cases) expect(parse(c), JSON.stringify(c)).toHaveProperty('invalid');
  });
});
