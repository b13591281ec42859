import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { port } from '../../src/validate/rules/port.js';
import { check, FILE, policy } from './support.js';

const ports = (list: string): string => policy(`  podSelector: {}\n  ingress:\n  - ports:\n${list}`);

test('port numbers 1..65535 and IANA service names are valid', () => {
  assert.equal(check(ports('    - port: 1\n    - port: 65535\n    - port: http\n    - port: my-svc-9\n    - protocol: UDP\n'), [port]), []);
});

test('a port number out of range', () => {
  assert.equal(check(ports('    - port: 0\n    - port: 65536\n'), [port]), [
    `${FILE}:10:13: error: spec.ingress[0].ports[0].port: invalid value 0: must be between 1 and 65535, inclusive`,
    `${FILE}:11:13: error: spec.ingress[0].ports[1].port: invalid value 65536: must be between 1 and 65535, inclusive`,
  ]);
});

test('a quoted number is a string in Kubernetes (IntOrString) and fails as a port name', () => {
  assert.equal(check(ports('    - port: "80"\n'), [port]), [`${FILE}:10:13: error: spec.ingress[0].ports[0].port: invalid value "80": must contain at least one letter (a-z)`]);
});

test('every rule of IANA_SVC_NAME is reported', () => {
  assert.equal(check(ports('    - port: -Very--Long-Name-X-\n'), [port]), [
    `${FILE}:10:13: error: spec.ingress[0].ports[0].port: invalid value "-Very--Long-Name-X-": must be no more than 15 bytes`,
    `${FILE}:10:13: error: spec.ingress[0].ports[0].port: invalid value "-Very--Long-Name-X-": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
    `${FILE}:10:13: error: spec.ingress[0].ports[0].port: invalid value "-Very--Long-Name-X-": must not begin or end with a hyphen`,
    `${FILE}:10:13: error: spec.ingress[0].ports[0].port: invalid value "-Very--Long-Name-X-": must not contain consecutive hyphens`,
  ]);
});

test.run();
