// Classifies an IP address as public or as one of the non-public scopes (loopback, private, link-local, …), looking
// through IPv4-mapped, -compatible, -translated, NAT64 and 6to4 forms. Pure data in, verdict out — never resolves or connects.
import { isIP } from 'node:net';

export type AddressScope = 'public' | 'unspecified' | 'loopback' | 'private' | 'link-local' | 'multicast' | 'reserved';

interface Range {
  /** Network address (IPv4 dotted quad or IPv6 text). */
  net: string;
  bits: number;
  scope: Exclude<AddressScope, 'public'>;
}

/** Non-public IPv4 ranges. Everything else is public. */
const V4_RANGES: readonly Range[] = [
  { net: '0.0.0.0', bits: 8, scope: 'unspecified' }, // "this network"; 0.0.0.0 reaches the local machine
  { net: '10.0.0.0', bits: 8, scope: 'private' }, // RFC 1918
  { net: '100.64.0.0', bits: 10, scope: 'private' }, // RFC 6598 shared (carrier-grade NAT, also VPN overlays)
  { net: '127.0.0.0', bits: 8, scope: 'loopback' },
  { net: '169.254.0.0', bits: 16, scope: 'link-local' }, // includes 169.254.169.254, cloud instance metadata
  { net: '172.16.0.0', bits: 12, scope: 'private' }, // RFC 1918
  { net: '192.0.0.0', bits: 24, scope: 'reserved' }, // IETF protocol assignments
  { net: '192.168.0.0', bits: 16, scope: 'private' }, // RFC 1918
  { net: '224.0.0.0', bits: 4, scope: 'multicast' },
  { net: '240.0.0.0', bits: 4, scope: 'reserved' }, // includes 255.255.255.255 (broadcast)
];

/** Non-public IPv6 ranges, after the IPv4-embedding forms (below) are looked through. */
const V6_RANGES: readonly Range[] = [
  { net: '::', bits: 128, scope: 'unspecified' },
  { net: '::1', bits: 128, scope: 'loopback' },
  { net: '64:ff9b:1::', bits: 48, scope: 'reserved' }, // RFC 8215 local-use NAT64: the embedded IPv4 is not at a fixed place
  { net: '100::', bits: 64, scope: 'reserved' }, // discard-only
  { net: 'fc00::', bits: 7, scope: 'private' }, // unique local
  { net: 'fe80::', bits: 10, scope: 'link-local' },
  { net: 'fec0::', bits: 10, scope: 'private' }, // deprecated site-local
  { net: 'ff00::', bits: 8, scope: 'multicast' },
];

/** IPv6 prefixes that carry an IPv4 address: the IPv6 address has the scope of the IPv4 one it embeds. */
const V4_EMBEDDINGS: readonly { net: string; bits: number; at: number }[] = [
  { net: '::ffff:0:0', bits: 96, at: 12 }, // IPv4-mapped
  { net: '::', bits: 96, at: 12 }, // IPv4-compatible (deprecated); :: and ::1 are matched before this
  { net: '::ffff:0:0:0', bits: 96, at: 12 }, // IPv4-translated (SIIT)
  { net: '64:ff9b::', bits: 96, at: 12 }, // NAT64 well-known prefix
  { net: '2002::', bits: 16, at: 2 }, // 6to4
];

/**
 * The address's bytes (4 for IPv4, 16 for IPv6), or null when `text` is not an IP address. Accepts `[…]` around an
 * IPv6 address (as in URL host names) and drops a `%zone` suffix.
 */
export function ipBytes(text: string): Uint8Array | null {
  const bracketed = text.startsWith('[') && text.endsWith(']');
  let s = bracketed ? text.slice(1, -1) : text;
  const zone = s.indexOf('%');
  if (zone >= 0 && s.includes(':')) s = s.slice(0, zone);
  const version = isIP(s);
  if (version === 4 && !bracketed) return Uint8Array.from(s.split('.').map(Number));
  if (version !== 6) return null;
  const out = new Uint8Array(16);
  const [head = '', tail] = s.split('::');
  const groups = (part: string): number[] => {
    if (part === '') return [];
    const words: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const [a = 0, b = 0, c = 0, d = 0] = piece.split('.').map(Number);
        words.push((a << 8) | b, (c << 8) | d);
      } else {
        words.push(parseInt(piece, 16));
      }
    }
    return words;
  };
  const first = groups(head);
  const last = tail === undefined ? [] : groups(tail);
  const words = [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

interface Prefix {
  bytes: Uint8Array;
  bits: number;
}

function prefix(net: string, bits: number): Prefix {
  const bytes = ipBytes(net);
  if (!bytes) throw new Error(`not an address: ${net}`);
  return { bytes, bits };
}

function inPrefix(addr: Uint8Array, p: Prefix): boolean {
  if (addr.length !== p.bytes.length) return false;
  const whole = p.bits >> 3;
  for (let i = 0; i < whole; i++) if (addr[i] !== p.bytes[i]) return false;
  const rest = p.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((addr[whole] ?? 0) & mask) === ((p.bytes[whole] ?? 0) & mask);
}

const v4 = V4_RANGES.map((r) => ({ ...prefix(r.net, r.bits), scope: r.scope }));
const v6 = V6_RANGES.map((r) => ({ ...prefix(r.net, r.bits), scope: r.scope }));
const embeddings = V4_EMBEDDINGS.map((e) => ({ ...prefix(e.net, e.bits), at: e.at }));

function scopeOfBytes(addr: Uint8Array): AddressScope {
  if (addr.length === 4) return v4.find((r) => inPrefix(addr, r))?.scope ?? 'public';
  const direct = v6.find((r) => inPrefix(addr, r));
  if (direct) return direct.scope;
  const embedding = embeddings.find((e) => inPrefix(addr, e));
  if (embedding) return scopeOfBytes(addr.subarray(embedding.at, embedding.at + 4));
  return 'public';
}

/** The scope of an IP address (IPv4, IPv6, `[IPv6]`); null when `text` is not an IP address. */
export function addressScope(text: string): AddressScope | null {
  const bytes = ipBytes(text);
  return bytes ? scopeOfBytes(bytes) : null;
}

/** "a loopback address (this computer)", "a private address", … — for refusal messages. */
export function describeScope(scope: Exclude<AddressScope, 'public'>): string {
  switch (scope) {
    case 'unspecified':
      return 'an unspecified address (this computer)';
    case 'loopback':
      return 'a loopback address (this computer)';
    case 'private':
      return 'a private address';
    case 'link-local':
      return 'a link-local address';
    case 'multicast':
      return 'a multicast address';
    case 'reserved':
      return 'a reserved address';
  }
}
