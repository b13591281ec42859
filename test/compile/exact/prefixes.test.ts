import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  cidrOf,
  cidrSetCovers,
  coverage,
  formatCidr,
  normalizeCidrs,
  snapshotPrefixes,
  subtractCidrs,
} from '../../../src/compile/exact/prefixes.js';

const minus = (cidr: string, ...except: string[]): string[] => subtractCidrs(cidrOf(cidr), except.map(cidrOf)).map(formatCidr);
const union = (...cidrs: string[]): string[] => normalizeCidrs(cidrs.map(cidrOf)).map(formatCidr);

test('the seed example: 172.17.0.0/16 except 172.17.1.0/24 is eight prefixes, largest blocks first in address order', () => {
  assert.equal(minus('172.17.0.0/16', '172.17.1.0/24'), [
    '172.17.0.0/24',
    '172.17.2.0/23',
    '172.17.4.0/22',
    '172.17.8.0/21',
    '172.17.16.0/20',
    '172.17.32.0/19',
    '172.17.64.0/18',
    '172.17.128.0/17',
  ]);
});

test('several except ranges, including adjacent and nested ones', () => {
  assert.equal(minus('10.0.0.0/24', '10.0.0.0/26', '10.0.0.64/26', '10.0.0.200/32', '10.0.0.192/29'), [
    '10.0.0.128/26',
    '10.0.0.201/32',
    '10.0.0.202/31',
    '10.0.0.204/30',
    '10.0.0.208/28',
    '10.0.0.224/27',
  ]);
  assert.equal(minus('10.0.0.0/24', '10.0.0.0/24'), [], 'an except equal to the cidr leaves nothing');
  assert.equal(minus('10.0.0.0/24', '192.168.0.0/16'), ['10.0.0.0/24'], 'an except outside the cidr changes nothing');
  assert.equal(minus('0.0.0.0/0', '128.0.0.0/1'), ['0.0.0.0/1']);
});

test('IPv6 with BigInt: 2001:db8::/32 except 2001:db8:1::/48 is sixteen prefixes', () => {
  const out = minus('2001:db8::/32', '2001:db8:1::/48');
  assert.is(out.length, 16);
  assert.equal(out.slice(0, 4), ['2001:db8::/48', '2001:db8:2::/47', '2001:db8:4::/46', '2001:db8:8::/45']);
  assert.is(out[15], '2001:db8:8000::/33');
  assert.equal(minus('::/0', '::/1'), ['8000::/1']);
  assert.equal(minus('fd00::/126', 'fd00::2/128'), ['fd00::/127', 'fd00::3/128']);
});

test('host bits of a cidr are cleared, as the API server stores it', () => {
  assert.is(formatCidr(cidrOf('10.1.2.3/8')), '10.0.0.0/8');
});

test('a union is written as the minimal prefix list: contained prefixes dropped, sibling halves merged', () => {
  assert.equal(union('10.0.0.0/25', '10.0.0.128/25'), ['10.0.0.0/24']);
  assert.equal(union('10.0.0.5/32', '10.0.0.0/24'), ['10.0.0.0/24']);
  assert.equal(union('10.0.0.128/25', '10.0.0.64/26', '10.0.0.0/26'), ['10.0.0.0/24']);
  assert.equal(union('10.0.0.64/26', '10.0.0.128/26'), ['10.0.0.64/26', '10.0.0.128/26'], 'adjacent but not siblings');
  assert.equal(union('2001:db8::/33', '2001:db8:8000::/33', '10.0.0.0/8'), ['10.0.0.0/8', '2001:db8::/32'], 'IPv4 before IPv6');
});

test('subtracting and merging back gives the original block', () => {
  const parts = subtractCidrs(cidrOf('172.16.0.0/12'), [cidrOf('172.20.1.0/24'), cidrOf('172.31.255.255/32')]);
  assert.equal(normalizeCidrs([...parts, cidrOf('172.20.1.0/24'), cidrOf('172.31.255.255/32')]).map(formatCidr), ['172.16.0.0/12']);
});

test('coverage of the pod network: all, none, or partial', () => {
  const pods = [cidrOf('10.244.0.0/16')];
  assert.is(coverage([cidrOf('0.0.0.0/0')], pods), 'all');
  assert.is(coverage([cidrOf('172.17.0.0/16')], pods), 'none');
  assert.is(coverage([cidrOf('10.244.1.0/24')], pods), 'partial');
  assert.is(coverage(subtractCidrs(cidrOf('10.0.0.0/8'), [cidrOf('10.244.7.0/24')]), pods), 'partial');
  assert.is(coverage([cidrOf('::/0')], pods), 'none', 'IPv6 never holds IPv4 pods');
  assert.ok(cidrSetCovers([cidrOf('10.244.0.0/17'), cidrOf('10.244.128.0/17')], pods));
});

test('prefixes as the snapshot writes them', () => {
  assert.equal(snapshotPrefixes([cidrOf('172.17.0.0/24'), cidrOf('2001:db8::/48')]), [
    { ip: '172.17.0.0', len: 24 },
    { ip: '2001:db8::', len: 48 },
  ]);
});

test.run();
