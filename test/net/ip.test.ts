import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  addressKey,
  cidrContains,
  cidrContainsAddress,
  cidrSize,
  firstAddress,
  formatAddress,
  formatCidr,
  isStrictSubset,
  isV4Mapped,
  lastAddress,
  parseAddress,
  parseAddressAsWritten,
  parseCidr,
  parseCidrAsWritten,
  PrefixMap,
  unmapV4,
} from '../../src/net/ip.js';

const canon = (s: string): string | undefined => {
  const c = parseCidr(s);
  return c && formatCidr(c);
};
const cidr = (s: string) => parseCidr(s)!;
const address = (s: string) => parseAddress(s)!;

test('IPv4 and IPv6 CIDRs parse to their canonical network', () => {
  const cases: [string, string][] = [
    ['10.0.0.0/16', '10.0.0.0/16'],
    ['10.0.1.5/24', '10.0.1.0/24'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:DB8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['::/0', '::/0'],
    ['::ffff:10.0.0.0/104', '::ffff:a00:0/104'],
    ['fe80:0:0:0:0:0:0:0/10', 'fe80::/10'],
    ['1:0:0:2:0:0:0:3/128', '1:0:0:2::3/128'],
  ];
  for (const [text, canonical] of cases) assert.is(canon(text), canonical, text);
  assert.equal(parseCidr('10.0.1.5/24'), { family: 4, network: 0x0a000100n, len: 24 });
});

test('malformed CIDRs are refused', () => {
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0/8', '256.0.0.0/8', '10.0.0.0/-1', '1::2::3/64', 'fe80::1%eth0/64', '::/129', '10.0.0.0/8/8', 'a.b.c.d/8', '', '1:2:3:4:5:6:7:8:9/64', '10.0.0.0/0008', '10.0.0.0/8 ']) {
    assert.is(parseCidr(bad), undefined, bad);
    assert.is(parseCidrAsWritten(bad), undefined, bad);
  }
});

test('IPv6 with an embedded IPv4 address, and every place "::" can stand', () => {
  assert.is(address('::ffff:1.2.3.4').value, 0xffff01020304n);
  assert.is(address('::1.2.3.4').value, 0x01020304n);
  assert.is(address('1:2:3:4:5:6:1.2.3.4').value, 0x00010002000300040005000601020304n);
  assert.is(address('1::').value, 1n << 112n);
  assert.is(address('::').value, 0n);
  for (const bad of ['1:2:3:4:5:6:7:1.2.3.4', '1:2:3:4:5:6:7::1.2.3.4', '::ffff:1.2.3', ':1:2:3:4:5:6:7', '1:::2', '12345::', '1.2.3.4:5', 'g::1'])
    assert.is(parseAddress(bad), undefined, bad);
});

test('as written: host bits and leading zeros are kept for the caller; white space is refused', () => {
  const w = parseCidrAsWritten('10.0.0.1/8')!;
  assert.equal(w.cidr, { family: 4, network: 0x0a000000n, len: 8 });
  assert.equal(w.address, { family: 4, value: 0x0a000001n });
  assert.is(parseCidrAsWritten('010.0.0.0/8')?.leadingZeros, true);
  assert.is(parseCidrAsWritten('10.0.0.0/08')?.leadingZeros, true);
  assert.is(parseCidrAsWritten('::ffff:010.0.0.0/104')?.leadingZeros, true);
  assert.is(parseCidrAsWritten('10.0.0.0/8')?.leadingZeros, false);
  assert.is(parseCidrAsWritten('2001:0db8::/32')?.leadingZeros, false, 'IPv6 groups are hex: zeros are not "leading"');
  assert.equal(parseAddressAsWritten('10.1.2.3'), { address: { family: 4, value: 0x0a010203n }, leadingZeros: false });
  assert.is(parseAddressAsWritten(' 10.1.2.3'), undefined);
  assert.is(parseCidrAsWritten(' 10.0.0.0/8'), undefined);
});

test('values read elsewhere: white space around the address is ignored', () => {
  assert.equal(parseAddress(' 10.1.2.3\n'), { family: 4, value: 0x0a010203n });
  assert.equal(parseCidr(' 10.0.0.0 /8'), { family: 4, network: 0x0a000000n, len: 8 });
  assert.is(parseAddress('10.1.2'), undefined);
  assert.is(parseAddress(''), undefined);
});

test('size, first and last address', () => {
  const c = cidr('10.0.1.0/24');
  assert.is(cidrSize(c), 256n);
  assert.is(formatAddress({ family: 4, value: firstAddress(c) }), '10.0.1.0');
  assert.is(formatAddress({ family: 4, value: lastAddress(c) }), '10.0.1.255');
  assert.is(cidrSize(cidr('::/0')), 1n << 128n);
  assert.is(lastAddress(cidr('fd00::/120')), (0xfd00n << 112n) + 255n);
  assert.is(cidrSize(cidr('10.0.0.7/32')), 1n);
});

test('containment: same family, inside or equal; strict subsets are also smaller', () => {
  // [inner, outer, contained, strict subset]
  const cases: [string, string, boolean, boolean][] = [
    ['10.0.1.0/24', '10.0.0.0/16', true, true],
    ['10.0.1.7/32', '10.0.0.0/16', true, true],
    ['255.255.255.255/32', '0.0.0.0/0', true, true],
    ['2001:db8:1::/48', '2001:db8::/32', true, true],
    ['10.0.0.0/16', '10.0.0.0/16', true, false],
    ['10.0.0.0/8', '10.0.0.0/16', false, false],
    ['10.1.0.0/24', '10.0.0.0/16', false, false],
    ['10.0.0.0/8', '::/0', false, false],
    ['::/64', '0.0.0.0/0', false, false],
  ];
  for (const [inner, outer, contained, strict] of cases) {
    assert.is(cidrContains(cidr(outer), cidr(inner)), contained, `${inner} in ${outer}`);
    assert.is(isStrictSubset(cidr(inner), cidr(outer)), strict, `${inner} strictly in ${outer}`);
  }
  assert.ok(cidrContainsAddress(cidr('10.0.1.0/24'), address('10.0.1.255')));
  assert.not.ok(cidrContainsAddress(cidr('10.0.1.0/24'), address('10.0.2.0')));
  assert.not.ok(cidrContainsAddress(cidr('::/0'), address('10.0.1.1')));
});

test('IPv4-mapped IPv6: recognised, and unmapped to IPv4 from /96 on', () => {
  assert.ok(isV4Mapped(address('::ffff:10.1.2.3')));
  assert.not.ok(isV4Mapped(address('::10.1.2.3')));
  assert.not.ok(isV4Mapped(address('10.1.2.3')));
  assert.equal(unmapV4(cidr('::ffff:10.0.0.0/104')), cidr('10.0.0.0/8'));
  assert.equal(unmapV4(cidr('::ffff:0:0/96')), cidr('0.0.0.0/0'));
  assert.equal(unmapV4(cidr('::ffff:0:0/95')), cidr('::ffff:0:0/95'));
  assert.equal(unmapV4(cidr('10.0.0.0/8')), cidr('10.0.0.0/8'));
});

test('canonical text: RFC 5952 (longest run of two or more zero groups, the first on a tie)', () => {
  const cases: [string, string][] = [
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['::ffff:1.2.3.4', '::ffff:102:304'],
    ['010.001.0.9', '10.1.0.9'],
  ];
  for (const [text, canonical] of cases) assert.is(formatAddress(address(text)), canonical, text);
});

test('canonical IPv6 text is what the WHATWG URL parser prints for the same address', () => {
  // Mostly-zero groups, so that runs of zeros (and ties between them) are common.
  const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
  fc.assert(
    fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
      const value = groups.reduce((v, g) => (v << 16n) | BigInt(g), 0n);
      const text = formatAddress({ family: 6, value });
      assert.is(text, new URL(`http://[${groups.map((g) => g.toString(16)).join(':')}]/`).hostname.slice(1, -1));
      assert.equal(parseAddress(text), { family: 6, value });
    }),
    { numRuns: 500 },
  );
});

test('IPv4 text round-trips, and address keys tell families apart', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 0xffffffffn }), (value) => {
      assert.equal(parseAddress(formatAddress({ family: 4, value })), { family: 4, value });
    }),
    { numRuns: 200 },
  );
  assert.is.not(addressKey(address('0.0.0.1')), addressKey(address('::1')));
  assert.is(addressKey(address('10.0.0.1')), addressKey(address('010.0.0.1')));
});

test('PrefixMap: an address finds exactly the prefixes that hold it, /0 to /32 and IPv6; equal CIDRs share a key', () => {
  const map = new PrefixMap<string>();
  const prefixes = ['0.0.0.0/0', '10.0.0.0/8', '10.244.0.0/16', '10.244.1.0/24', '10.244.1.7/32', '192.168.0.0/16', '::/0', '2001:db8::/32'];
  for (const p of prefixes) map.set(parseCidr(p)!, p);
  assert.is(map.get(parseCidr('10.244.1.0/24')!), '10.244.1.0/24');
  assert.is(map.get(parseCidr('10.244.2.0/24')!), undefined);
  assert.is(map.get(parseCidr('10.0.0.0/9')!), undefined, 'same network, another length');
  fc.assert(
    fc.property(fc.oneof(fc.ipV4(), fc.constantFrom('10.244.1.7', '10.244.1.8', '10.244.9.9', '10.1.1.1', '2001:db8::5', '2001:db9::1', '::1')), (text) => {
      const a = parseAddress(text)!;
      const expected = prefixes.filter((p) => cidrContainsAddress(parseCidr(p)!, a)).sort();
      assert.equal(map.holding(a).sort(), expected);
    }),
    { seed: 8, numRuns: 300 },
  );
});

test.run();
