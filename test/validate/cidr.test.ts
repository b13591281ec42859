import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatCIDR, isStrictSubset, parseCIDR, parseIP } from '../../src/validate/cidr.js';

const canon = (s: string): string | undefined => {
  const c = parseCIDR(s);
  return c && formatCIDR(c);
};

test('IPv4 and IPv6 CIDRs parse to their canonical network', () => {
  assert.is(canon('10.0.0.0/16'), '10.0.0.0/16');
  assert.is(canon('10.0.1.5/24'), '10.0.1.0/24');
  assert.is(canon('0.0.0.0/0'), '0.0.0.0/0');
  assert.is(canon('2001:DB8:0:0:1:0:0:1/128'), '2001:db8::1:0:0:1/128');
  assert.is(canon('2001:db8::/32'), '2001:db8::/32');
  assert.is(canon('::/0'), '::/0');
  assert.is(canon('::ffff:10.0.0.0/104'), '::ffff:a00:0/104');
  assert.is(canon('fe80:0:0:0:0:0:0:0/10'), 'fe80::/10');
  assert.is(canon('1:0:0:2:0:0:0:3/128'), '1:0:0:2::3/128');
});

test('malformed CIDRs are refused', () => {
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0/8', '256.0.0.0/8', '10.0.0.0/-1', '1::2::3/64', 'fe80::1%eth0/64', '::/129', '10.0.0.0/8/8', 'a.b.c.d/8', '', '1:2:3:4:5:6:7:8:9/64', ' 10.0.0.0/8'])
    assert.is(parseCIDR(bad), undefined, bad);
});

test('leading zeros (accepted by Kubernetes, with a warning) are flagged', () => {
  assert.is(parseCIDR('010.0.0.0/8')?.leadingZeros, true);
  assert.is(parseCIDR('10.0.0.0/08')?.leadingZeros, true);
  assert.is(parseCIDR('10.0.0.0/8')?.leadingZeros, false);
});

test('strict subsets: inside and smaller, same family', () => {
  const s = (a: string, b: string): boolean => isStrictSubset(parseCIDR(a)!, parseCIDR(b)!);
  assert.ok(s('10.0.1.0/24', '10.0.0.0/16'));
  assert.ok(s('10.0.1.7/32', '10.0.0.0/16'));
  assert.ok(s('2001:db8:1::/48', '2001:db8::/32'));
  assert.not.ok(s('10.0.0.0/16', '10.0.0.0/16'));
  assert.not.ok(s('10.0.0.0/8', '10.0.0.0/16'));
  assert.not.ok(s('10.1.0.0/24', '10.0.0.0/16'));
  assert.not.ok(s('::/64', '0.0.0.0/0'));
});

test('IP addresses', () => {
  assert.equal(parseIP('10.1.2.3'), { family: 4, bits: 0x0a010203n, leadingZeros: false });
  assert.is(parseIP('::1')?.bits, 1n);
  assert.is(parseIP('10.1.2'), undefined);
});

test.run();
