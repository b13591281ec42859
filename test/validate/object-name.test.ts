import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { objectName } from '../../src/validate/rules/object-name.js';
import { check, FILE } from './support.js';

const np = (meta: string): string => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n${meta}`;
const ns = (meta: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n${meta}`;

test('DNS-1123 subdomain names for policies, DNS-1123 labels for namespaces are valid', () => {
  assert.equal(check(np('  name: allow.web-1\n'), [objectName]), []);
  assert.equal(check(ns('  name: shop-1\n'), [objectName]), []);
});

test('an invalid policy name is reported with the API server message', () => {
  assert.equal(check(np('  name: Allow_Web\n'), [objectName]), [
    `${FILE}:4:9: error: metadata.name: invalid value "Allow_Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ]);
});

test('a name over 253 bytes is too long', () => {
  const name = `${'a'.repeat(250)}.bcd`;
  assert.equal(check(np(`  name: ${name}\n`), [objectName]), [`${FILE}:4:9: error: metadata.name: invalid value "${name}": must be no more than 253 bytes`]);
});

test('a namespace name with dots is not a DNS label', () => {
  assert.equal(check(ns('  name: shop.prod\n'), [objectName]), [`${FILE}:4:9: error: metadata.name: invalid value "shop.prod": must not contain dots`]);
});

test('a missing name is required; generateName is refused', () => {
  assert.equal(check(np('  namespace: x\n'), [objectName]), [`${FILE}:4:3: error: metadata.name: name is required`]);
  assert.equal(check('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n', [objectName]), [`${FILE}:1:1: error: metadata.name: name is required`]);
  assert.equal(check(np('  generateName: p-\n'), [objectName]), [
    `${FILE}:4:17: error: metadata.generateName: generateName is not supported here: give the object a fixed metadata.name (compiled names derive from it)`,
  ]);
});

test.run();
