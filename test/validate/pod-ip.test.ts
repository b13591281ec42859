import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { podIP } from '../../src/validate/rules/pod-ip.js';
import { check, FILE } from './support.js';

const pod = (ip: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nstatus:\n  podIP: ${ip}\n`;

test('IPv4 and IPv6 pod IPs are valid', () => {
  assert.equal(check(pod('10.244.1.5'), [podIP]), []);
  assert.equal(check(pod('"fd00::5"'), [podIP]), []);
});

test('an invalid pod IP is reported', () => {
  assert.equal(check(pod('10.244.1'), [podIP]), [`${FILE}:6:10: error: status.podIP: invalid value "10.244.1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`]);
});

test.run();
