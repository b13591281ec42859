import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { policyTypes } from '../../src/validate/rules/policy-types.js';
import { check, FILE, policy } from './support.js';

test('Ingress and Egress, in any order, are valid', () => {
  assert.equal(check(policy('  podSelector: {}\n  policyTypes: [Egress, Ingress]\n'), [policyTypes]), []);
  assert.equal(check(policy('  podSelector: {}\n  policyTypes: []\n'), [policyTypes]), []);
});

test('an unknown policy type is unsupported (case matters)', () => {
  assert.equal(check(policy('  podSelector: {}\n  policyTypes: [ingress]\n'), [policyTypes]), [
    `${FILE}:8:17: error: spec.policyTypes[0]: unsupported value "ingress": supported values: "Ingress", "Egress"`,
  ]);
});

test('more than two policy types are refused', () => {
  assert.equal(check(policy('  podSelector: {}\n  policyTypes: [Ingress, Egress, Ingress]\n'), [policyTypes]), [
    `${FILE}:8:16: error: spec.policyTypes: may not specify more than two policyTypes`,
  ]);
});

test('a repeated policy type is a warning (the API server accepts it)', () => {
  assert.equal(check(policy('  podSelector: {}\n  policyTypes: [Egress, Egress]\n'), [policyTypes]), [
    `${FILE}:8:25: warning: spec.policyTypes[1]: duplicate value "Egress": listed once is enough`,
  ]);
});

test.run();
