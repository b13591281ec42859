import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { protocol } from '../../src/validate/rules/protocol.js';
import { check, FILE, policy } from './support.js';

const ports = (list: string): string => policy(`  podSelector: {}\n  ingress:\n  - ports:\n${list}`);

test('TCP, UDP, SCTP and no protocol are valid', () => {
  assert.equal(check(ports('    - protocol: TCP\n    - protocol: UDP\n    - protocol: SCTP\n    - port: 80\n'), [protocol]), []);
});

test('another protocol, or a lower-case one, is unsupported', () => {
  assert.equal(check(ports('    - protocol: ICMP\n    - protocol: tcp\n'), [protocol]), [
    `${FILE}:10:17: error: spec.ingress[0].ports[0].protocol: unsupported value "ICMP": supported values: "TCP", "UDP", "SCTP"`,
    `${FILE}:11:17: error: spec.ingress[0].ports[1].protocol: unsupported value "tcp": supported values: "TCP", "UDP", "SCTP"`,
  ]);
});

test.run();
