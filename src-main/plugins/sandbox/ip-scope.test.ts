// The address classifier behind http_request's address check: every non-public range, both sides of each boundary,
// and the IPv6 forms that embed an IPv4 address. Pure functions; no network.
import { describe, expect, it } from 'vitest';
import { addressScope, sameAddress, type AddressScope } from './ip-scope';

/** Each non-public range with addresses on both sides of its ends (ranges that touch share a side). */
const BOUNDARIES: Array<[string, Array<[string, AddressScope]>]> = [
  ['0.0.0.0/8', [['0.0.0.0', 'unspecified'], ['0.255.255.255', 'unspecified'], ['1.0.0.0', 'public']]],
  ['10.0.0.0/8', [['9.255.255.255', 'public'], ['10.0.0.0', 'private'], ['10.255.255.255', 'private'], ['11.0.0.0', 'public']]],
  ['100.64.0.0/10', [['100.63.255.255', 'public'], ['100.64.0.0', 'private'], ['100.127.255.255', 'private'], ['100.128.0.0', 'public']]],
  ['127.0.0.0/8', [['126.255.255.255', 'public'], ['127.0.0.0', 'loopback'], ['127.255.255.255', 'loopback'], ['128.0.0.0', 'public']]],
  ['169.254.0.0/16', [['169.253.255.255', 'public'], ['169.254.0.0', 'link-local'], ['169.254.169.254', 'link-local'], ['169.254.255.255', 'link-local'], ['169.255.0.0', 'public']]],
  ['172.16.0.0/12', [['172.15.255.255', 'public'], ['172.16.0.0', 'private'], ['172.31.255.255', 'private'], ['172.32.0.0', 'public']]],
  ['192.0.0.0/24', [['191.255.255.255', 'public'], ['192.0.0.0', 'reserved'], ['192.0.0.255', 'reserved'], ['192.0.1.0', 'public']]],
  ['192.168.0.0/16', [['192.167.255.255', 'public'], ['192.168.0.0', 'private'], ['192.168.255.255', 'private'], ['192.169.0.0', 'public']]],
  ['224.0.0.0/4', [['223.255.255.255', 'public'], ['224.0.0.0', 'multicast'], ['239.255.255.255', 'multicast']]],
  ['240.0.0.0/4', [['240.0.0.0', 'reserved'], ['255.255.255.254', 'reserved'], ['255.255.255.255', 'reserved']]],
  ['::/128, ::1/128', [['::', 'unspecified'], ['::1', 'loopback'], ['::2', 'unspecified']]],
  ['64:ff9b:1::/48', [['64:ff9b:0:ffff:ffff:ffff:ffff:ffff', 'public'], ['64:ff9b:1::', 'reserved'], ['64:ff9b:1:ffff:ffff:ffff:ffff:ffff', 'reserved'], ['64:ff9b:2::', 'public']]],
  ['100::/64', [['ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'public'], ['100::', 'reserved'], ['100::ffff:ffff:ffff:ffff', 'reserved'], ['100:0:0:1::', 'public']]],
  ['fc00::/7', [['fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'public'], ['fc00::', 'private'], ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'private'], ['fe00::', 'public']]],
  ['fe80::/10', [['fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'public'], ['fe80::', 'link-local'], ['febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'link-local']]],
  ['fec0::/10', [['fec0::', 'private'], ['feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'private']]],
  ['ff00::/8', [['ff00::', 'multicast'], ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'multicast']]],
];

describe('addressScope', () => {
  it.each(BOUNDARIES)('%s', (_range, cases) => {
    for (const [address, scope] of cases) expect(addressScope(address), address).toBe(scope);
  });

  it('accepts URL-style brackets and zone ids on IPv6 addresses', () => {
    expect(addressScope('0:0:0:0:0:0:0:1')).toBe('loopback');
    expect(addressScope('[::1]')).toBe('loopback');
    expect(addressScope('fe80::1%eth0')).toBe('link-local');
    expect(addressScope('2001:db8::1')).toBe('public');
  });

  it('looks through IPv4-mapped, -compatible, -translated, NAT64 and 6to4 addresses', () => {
    const embedded: Array<[string, AddressScope]> = [
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::ffff:10.0.0.1', 'private'],
      ['::ffff:169.254.169.254', 'link-local'],
      ['::ffff:0.0.0.0', 'unspecified'],
      ['::ffff:8.8.8.8', 'public'],
      ['::127.0.0.1', 'loopback'],
      ['::7f00:1', 'loopback'],
      ['::c0a8:101', 'private'],
      ['::8.8.8.8', 'public'],
      ['::ffff:0:127.0.0.1', 'loopback'],
      ['::ffff:0:8.8.8.8', 'public'],
      ['64:ff9b::127.0.0.1', 'loopback'],
      ['64:ff9b::a9fe:a9fe', 'link-local'],
      ['64:ff9b::8.8.8.8', 'public'],
      ['64:ff9b::1:8.8.8.8', 'public'], // outside 64:ff9b::/96, not a NAT64 address
      ['2002:7f00:1::', 'loopback'],
      ['2002:c0a8:101::1', 'private'],
      ['2002:808:808::1', 'public'],
    ];
    for (const [address, scope] of embedded) expect(addressScope(address), address).toBe(scope);
  });

  it('classifies common public addresses as public', () => {
    for (const address of ['1.1.1.1', '8.8.8.8', '93.184.216.34', '172.15.0.1', '172.32.0.1', '192.169.0.1', '198.18.0.1', '203.0.113.7', '2a00:1450::1', '2606:4700:4700::1111']) {
      expect(addressScope(address), address).toBe('public');
    }
  });

  it('returns null for anything that is not an IP address', () => {
    for (const text of ['localhost', 'example.com', '', '1.2.3', '256.0.0.1', '::g', '[127.0.0.1]', '1.2.3.4:80']) {
      expect(addressScope(text), text).toBeNull();
    }
  });
});

describe('sameAddress', () => {
  it('treats every notation of one address as the same, and nothing else', () => {
    for (const text of ['::1', '0:0:0:0:0:0:0:1', '0::0:1', '::0.0.0.1', '[::1]']) expect(sameAddress(text, '::1'), text).toBe(true);
    expect(sameAddress('::ffff:1.2.3.4', '::ffff:102:304')).toBe(true);
    expect(sameAddress('10.20.30.40', '10.20.30.40')).toBe(true);
    expect(sameAddress('127.0.0.1', '::ffff:127.0.0.1')).toBe(false); // different families: an entry names one of them
    expect(sameAddress('127.0.0.1', '127.0.0.2')).toBe(false);
    expect(sameAddress('localhost', 'localhost')).toBe(false);
  });
});
