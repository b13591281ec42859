import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ipBlock } from '../../src/validate/rules/ip-block.js';
import { check, FILE, policy } from './support.js';

const block = (b: string): string => policy(`  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n${b}`);

test('IPv4 and IPv6 CIDRs with excepts strictly inside are valid', () => {
  assert.equal(check(block('        cidr: 172.17.0.0/16\n        except: [172.17.1.0/24, 172.17.2.128/25]\n'), [ipBlock]), []);
  assert.equal(check(block('        cidr: 2001:db8::/32\n        except: ["2001:db8:1::/48"]\n'), [ipBlock]), []);
  assert.equal(check(block('        cidr: 0.0.0.0/0\n        except: [10.0.0.0/8]\n'), [ipBlock]), []);
});

test('an except outside the cidr, or equal to it, is not a strict subset', () => {
  assert.equal(check(block('        cidr: 10.0.0.0/16\n        except:\n        - 10.1.0.0/24\n        - 10.0.0.0/16\n'), [ipBlock]), [
    `${FILE}:13:11: error: spec.ingress[0].from[0].ipBlock.except[0]: must be a strict subset of 10.0.0.0/16`,
    `${FILE}:14:11: error: spec.ingress[0].from[0].ipBlock.except[1]: must be a strict subset of 10.0.0.0/16`,
  ]);
});

test('an except of the other address family is not a subset', () => {
  assert.equal(check(block('        cidr: 10.0.0.0/8\n        except: ["2001:db8::/64"]\n'), [ipBlock]), [
    `${FILE}:12:18: error: spec.ingress[0].from[0].ipBlock.except[0]: must be a strict subset of 10.0.0.0/8`,
  ]);
});

test('an invalid CIDR (cidr or except) is reported, its excepts are not compared', () => {
  assert.equal(check(block('        cidr: 10.0.0.0/33\n        except: [10.0.0.0/24]\n'), [ipBlock]), [
    `${FILE}:11:15: error: spec.ingress[0].from[0].ipBlock.cidr: invalid value "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
  ]);
  assert.equal(check(block('        cidr: 10.0.0.0/8\n        except: [10.1.0.0]\n'), [ipBlock]), [
    `${FILE}:12:18: error: spec.ingress[0].from[0].ipBlock.except[0]: invalid value "10.1.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
  ]);
});

test('IPv4-mapped IPv6 CIDRs are compared as IPv4, as Go compares them', () => {
  assert.equal(check(block('        cidr: 10.0.0.0/8\n        except: ["::ffff:10.1.0.0/112", "::ffff:11.0.0.0/112"]\n'), [ipBlock]), [
    `${FILE}:12:18: warning: spec.ingress[0].from[0].ipBlock.except[0]: non-standard CIDR value "::ffff:10.1.0.0/112" will be considered invalid in a future Kubernetes release: use "::ffff:a01:0/112"`,
    `${FILE}:12:41: error: spec.ingress[0].from[0].ipBlock.except[1]: must be a strict subset of 10.0.0.0/8`,
    `${FILE}:12:41: warning: spec.ingress[0].from[0].ipBlock.except[1]: non-standard CIDR value "::ffff:11.0.0.0/112" will be considered invalid in a future Kubernetes release: use "::ffff:b00:0/112"`,
  ]);
});

test('cidr is required', () => {
  assert.equal(check(block('        except: [10.1.0.0/16]\n'), [ipBlock]), [`${FILE}:11:9: error: spec.ingress[0].from[0].ipBlock.cidr: cidr is required`]);
});

test('host bits set and leading zeros are accepted with the API server warnings', () => {
  assert.equal(check(block('        cidr: 10.0.0.1/8\n        except: [010.1.0.0/16]\n'), [ipBlock]), [
    `${FILE}:11:15: warning: spec.ingress[0].from[0].ipBlock.cidr: CIDR value "10.0.0.1/8" has bits set beyond the prefix length: it means 10.0.0.0/8`,
    `${FILE}:12:18: warning: spec.ingress[0].from[0].ipBlock.except[0]: non-standard CIDR value "010.1.0.0/16" will be considered invalid in a future Kubernetes release: use "10.1.0.0/16"`,
  ]);
});

test.run();
