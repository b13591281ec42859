import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endPort } from '../../src/validate/rules/end-port.js';
import { check, FILE, policy } from './support.js';

const ports = (list: string): string => policy(`  podSelector: {}\n  egress:\n  - ports:\n${list}`);

test('endPort with a numeric port, not below it, is valid', () => {
  assert.equal(check(ports('    - {port: 32000, endPort: 32768}\n    - {port: 80, endPort: 80}\n'), [endPort]), []);
});

test('endPort below port', () => {
  assert.equal(check(ports('    - {port: 8080, endPort: 80}\n'), [endPort]), [
    `${FILE}:10:29: error: spec.egress[0].ports[0].endPort: must be greater than or equal to \`port\` (8080)`,
  ]);
});

test('endPort with a named port or without port', () => {
  assert.equal(check(ports('    - {port: http, endPort: 90}\n    - {endPort: 90}\n'), [endPort]), [
    `${FILE}:10:29: error: spec.egress[0].ports[0].endPort: may not be specified when \`port\` is non-numeric`,
    `${FILE}:11:17: error: spec.egress[0].ports[1].endPort: may not be specified when \`port\` is not specified`,
  ]);
});

test('endPort out of range', () => {
  assert.equal(check(ports('    - {port: 80, endPort: 70000}\n'), [endPort]), [
    `${FILE}:10:27: error: spec.egress[0].ports[0].endPort: invalid value 70000: must be between 1 and 65535, inclusive`,
  ]);
});

test.run();
