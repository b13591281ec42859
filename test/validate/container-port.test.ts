import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { containerPort } from '../../src/validate/rules/container-port.js';
import { check, FILE } from './support.js';

const pod = (ports: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    ports:\n${ports}`;

test('numbered, named ports with a protocol are valid', () => {
  assert.equal(check(pod('    - containerPort: 8080\n      name: http\n    - containerPort: 53\n      protocol: UDP\n'), [containerPort]), []);
});

test('an invalid container port, name and protocol are reported', () => {
  assert.equal(check(pod('    - containerPort: 0\n      name: HTTP\n      protocol: http\n'), [containerPort]), [
    `${FILE}:9:22: error: spec.containers[0].ports[0].containerPort: invalid value 0: must be between 1 and 65535, inclusive`,
    `${FILE}:10:13: error: spec.containers[0].ports[0].name: invalid value "HTTP": must contain at least one letter (a-z)`,
    `${FILE}:10:13: error: spec.containers[0].ports[0].name: invalid value "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
    `${FILE}:11:17: error: spec.containers[0].ports[0].protocol: unsupported value "http": supported values: "TCP", "UDP", "SCTP"`,
  ]);
});

test('containerPort is required', () => {
  assert.equal(check(pod('    - name: http\n'), [containerPort]), [`${FILE}:9:7: error: spec.containers[0].ports[0].containerPort: containerPort is required`]);
});

test.run();
