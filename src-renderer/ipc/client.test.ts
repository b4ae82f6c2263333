import { describe, expect, it } from 'vitest';
import { backoffMs, createWebSocketClient, decodeWire, encodeWire, parseIncoming, webSocketUrl, type SocketLike } from './client';

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  constructor(public url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.onclose?.({ code: 1000, reason: '' });
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }
  drop(reason = '') {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason });
  }
}

function manualTimers() {
  const timers: { fn: () => void; ms: number; id: number }[] = [];
  let next = 1;
  return {
    timers,
    setTimer: (fn: () => void, ms: number) => {
      const id = next++;
      timers.push({ fn, ms, id });
      return id;
    },
    clearTimer: (h: unknown) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
    runShortest() {
      timers.sort((a, b) => a.ms - b.ms);
      const t = timers.shift();
      t?.fn();
      return t;
    },
  };
}

function setup() {
  FakeSocket.all = [];
  const timers = manualTimers();
  const client = createWebSocketClient({ url: 'ws://h/ws?token=t', createSocket: (u) => new FakeSocket(u), setTimer: timers.setTimer, clearTimer: timers.clearTimer });
  const socket = () => FakeSocket.all[FakeSocket.all.length - 1]!;
  return { client, socket, timers };
}

describe('wire codec', () => {
  it('tags bigint and Date when sending and revives them when receiving', () => {
    const value = { a: 10n, d: new Date('2024-05-01T10:00:00.000Z'), nested: [{ b: -3n }], s: 'x' };
    const text = encodeWire(value);
    expect(JSON.parse(text)).toEqual({ a: { $bigint: '10' }, d: { $date: '2024-05-01T10:00:00.000Z' }, nested: [{ b: { $bigint: '-3' } }], s: 'x' });
    expect(decodeWire(text)).toEqual(value);
  });

  it('keeps data that looks like a tag intact (the contract codec escapes $ keys)', () => {
    const value = { $bigint: 'not a tag', price: { $date: 'x' } };
    expect(JSON.parse(encodeWire(value))).toEqual({ $$bigint: 'not a tag', price: { $$date: 'x' } });
    expect(decodeWire(encodeWire(value))).toEqual(value);
  });

  it('fails a call whose reply cannot be decoded, ignores other unreadable frames', () => {
    expect(parseIncoming('{"id":1,"ok":true,"reply":{"$bigint":"1.5"}}')).toEqual({ type: 'reply', id: 1, ok: false, error: 'unreadable reply: malformed $bigint value' });
    expect(parseIncoming('{"event":"learn","payload":{"$date":"nope"}}')).toBeNull();
    expect(parseIncoming('{"id":null,"ok":false,"error":"malformed message"}')).toBeNull();
  });

  it('classifies replies, errors and pushes', () => {
    expect(parseIncoming('{"id":1,"ok":true,"reply":{"n":{"$bigint":"5"}}}')).toEqual({ type: 'reply', id: 1, ok: true, reply: { n: 5n } });
    expect(parseIncoming('{"id":2,"ok":false,"error":"boom"}')).toEqual({ type: 'reply', id: 2, ok: false, error: 'boom' });
    expect(parseIncoming('{"event":"learn","payload":{"kind":"started"}}')).toEqual({ type: 'event', event: 'learn', payload: { kind: 'started' } });
    expect(parseIncoming('not json')).toBeNull();
    expect(parseIncoming('{"what":1}')).toBeNull();
  });

  it('builds the socket URL with the token from the hash', () => {
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:4000', hash: '#token=a%2Bb' })).toBe('ws://127.0.0.1:4000/ws?token=a%2Bb');
    expect(webSocketUrl({ protocol: 'https:', host: 'x', hash: '' })).toBe('wss://x/ws');
  });

  it('backs off up to 10 s', () => {
    expect([0, 1, 2, 3, 10].map(backoffMs)).toEqual([500, 1000, 2000, 4000, 10_000]);
  });
});

describe('WebSocket client', () => {
  it('sends verbs as {id, call, args} and resolves/rejects by id', async () => {
    const { client, socket } = setup();
    socket().open();
    expect(client.connection().status).toBe('connected');
    const p1 = client.api.virtual.press(36, 100);
    const p2 = client.api.engine.setMode('Edit');
    const [m1, m2] = socket().sent.map((s) => JSON.parse(s) as { id: number; call: string; args: unknown[] });
    expect(m1).toEqual({ id: 1, call: 'virtual.press', args: [36, 100] });
    expect(m2).toEqual({ id: 2, call: 'engine.setMode', args: ['Edit'] });
    socket().receive({ id: 2, ok: false, error: 'no mode named "Edit"' });
    socket().receive({ id: 1, ok: true, reply: { ok: true } });
    await expect(p1).resolves.toEqual({ ok: true });
    await expect(p2).rejects.toThrow('no mode named "Edit"');
  });

  it('delivers pushes to their onDidX listeners until they unsubscribe', () => {
    const { client, socket } = setup();
    socket().open();
    const got: unknown[] = [];
    const off = client.api.learn.onDidChange((p) => got.push(p));
    socket().receive({ event: 'learn.didChange', payload: { kind: 'started', sessionId: 1, timeoutMs: 10000 } });
    socket().receive({ event: 'devices.didChange', payload: { devices: [] } });
    off();
    socket().receive({ event: 'learn.didChange', payload: { kind: 'cancelled', sessionId: 1, reason: 'user' } });
    expect(got).toEqual([{ kind: 'started', sessionId: 1, timeoutMs: 10000 }]);
  });

  it('rejects calls while disconnected, fails pending ones on close and reconnects with backoff', async () => {
    const { client, socket, timers } = setup();
    const states: string[] = [];
    client.onConnection((i) => states.push(i.status));
    await expect(client.api.devices.list()).rejects.toThrow('not connected');
    socket().open();
    const pending = client.api.devices.list();
    socket().drop('server restarting');
    await expect(pending).rejects.toThrow('connection to Conductor lost');
    expect(client.connection()).toMatchObject({ status: 'disconnected', detail: 'server restarting', retryInMs: 500 });
    // the call's timeout timer was cleared; only the retry timer is left
    expect(timers.timers.map((t) => t.ms)).toEqual([500]);
    timers.runShortest();
    expect(FakeSocket.all).toHaveLength(2);
    socket().drop();
    expect(client.connection().retryInMs).toBe(1000);
    timers.runShortest();
    socket().open();
    expect(states).toEqual(['connected', 'disconnected', 'connecting', 'disconnected', 'connecting', 'connected']);
    client.close();
    expect(timers.timers).toHaveLength(0);
  });

  it('times out calls that get no reply', async () => {
    const { client, socket, timers } = setup();
    socket().open();
    const p = client.api.plugins.list();
    timers.runShortest();
    await expect(p).rejects.toThrow('no reply');
  });
});
