// Classifies an IP address as public or as one of the non-public scopes (loopback, private, link-local, …), looking
// through IPv4-mapped, -compatible, -translated, NAT64 and 6to4 forms. Pure data in, verdict out — never resolves or connects.
// Parsing and prefix matching are ipaddr.js's; the table of what counts as non-public is ours (the policy).
// ipaddr.js is loaded on first use: most plugins never reach the network, and loading a CommonJS package costs each
// sandbox (each worker of the shared sandbox process) about 1.5 MB.
import { createRequire } from 'node:module';
import type ipaddrModule from 'ipaddr.js';
import { netModule } from './builtins';

export type AddressScope = 'public' | 'unspecified' | 'loopback' | 'private' | 'link-local' | 'multicast' | 'reserved';
type Address = ipaddrModule.IPv4 | ipaddrModule.IPv6;
type Ipaddr = typeof ipaddrModule;

/** Non-public ranges (CIDR). Everything else is public. IPv6 ones apply after the IPv4 embeddings below. */
const RANGES: ReadonlyArray<[cidr: string, scope: Exclude<AddressScope, 'public'>]> = [
  ['0.0.0.0/8', 'unspecified'], // "this network"; 0.0.0.0 reaches the local machine
  ['10.0.0.0/8', 'private'], // RFC 1918
  ['100.64.0.0/10', 'private'], // RFC 6598 shared (carrier-grade NAT, also VPN overlays)
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'], // includes 169.254.169.254, cloud instance metadata
  ['172.16.0.0/12', 'private'], // RFC 1918
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments
  ['192.168.0.0/16', 'private'], // RFC 1918
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // includes 255.255.255.255 (broadcast)
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'reserved'], // RFC 8215 local-use NAT64: the embedded IPv4 is not at a fixed place
  ['100::/64', 'reserved'], // discard-only
  ['fc00::/7', 'private'], // unique local
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'], // deprecated site-local
  ['ff00::/8', 'multicast'],
];

/** IPv6 prefixes that carry an IPv4 address at byte `at`: the IPv6 address has the scope of the IPv4 one. */
const V4_EMBEDDINGS: ReadonlyArray<[cidr: string, at: number]> = [
  ['::ffff:0:0/96', 12], // IPv4-mapped
  ['::/96', 12], // IPv4-compatible (deprecated); :: and ::1 are matched before this
  ['::ffff:0:0:0/96', 12], // IPv4-translated (SIIT)
  ['64:ff9b::/96', 12], // NAT64 well-known prefix
  ['2002::/16', 2], // 6to4
];

interface Tables {
  ipaddr: Ipaddr;
  ranges: { cidr: [Address, number]; scope: Exclude<AddressScope, 'public'> }[];
  embeddings: { cidr: [Address, number]; at: number }[];
}
let loaded: Tables | null = null;

/** ipaddr.js and the parsed tables, loaded on the first call. */
function tables(): Tables {
  if (loaded) return loaded;
  const ipaddr = createRequire(import.meta.url)('ipaddr.js') as Ipaddr;
  loaded = {
    ipaddr,
    ranges: RANGES.map(([cidr, scope]) => ({ cidr: ipaddr.parseCIDR(cidr), scope })),
    embeddings: V4_EMBEDDINGS.map(([cidr, at]) => ({ cidr: ipaddr.parseCIDR(cidr), at })),
  };
  return loaded;
}

/**
 * The address `text` names, or null when it is not an IP address (strictly: dotted-quad IPv4 or IPv6). Accepts
 * `[…]` around an IPv6 address (as in URL host names) and a `%zone` suffix.
 */
export function parseAddress(text: string): Address | null {
  const bracketed = text.startsWith('[') && text.endsWith(']');
  const s = bracketed ? text.slice(1, -1) : text;
  const version = netModule().isIP(s);
  if (version === 0 || (version === 4 && bracketed)) return null;
  const { ipaddr } = tables();
  if (version === 4) return ipaddr.parse(s);
  // ipaddr.js reads any dotted IPv6 tail as IPv4-mapped ("::0.0.0.1" as ::ffff:0.0.0.1); the URL parser's IPv6
  // serialisation is the standard one, so it goes first. The zone names an interface, not part of the address.
  const zone = s.indexOf('%');
  return ipaddr.parse(new URL(`http://[${zone < 0 ? s : s.slice(0, zone)}]`).hostname.slice(1, -1));
}

/** Whether two texts name the same address (`::1` and `0:0:0:0:0:0:0:1`, say). */
export function sameAddress(a: string, b: string): boolean {
  const x = parseAddress(a);
  const y = parseAddress(b);
  return x !== null && y !== null && x.kind() === y.kind() && x.toNormalizedString() === y.toNormalizedString();
}

function scopeOf(addr: Address): AddressScope {
  const { ipaddr, ranges, embeddings } = tables();
  const direct = ranges.find((r) => r.cidr[0].kind() === addr.kind() && addr.match(r.cidr));
  if (direct) return direct.scope;
  if (addr.kind() === 'ipv6') {
    const embedding = embeddings.find((e) => addr.match(e.cidr));
    if (embedding) return scopeOf(ipaddr.fromByteArray(addr.toByteArray().slice(embedding.at, embedding.at + 4)));
  }
  return 'public';
}

/** The scope of an IP address (IPv4, IPv6, `[IPv6]`); null when `text` is not an IP address. */
export function addressScope(text: string): AddressScope | null {
  const addr = parseAddress(text);
  return addr ? scopeOf(addr) : null;
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
