import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { objectNamespace } from '../../src/validate/rules/object-namespace.js';
import { check, FILE } from './support.js';

const np = (meta: string): string => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n${meta}`;

test('a DNS-1123 label namespace, or none, is valid', () => {
  assert.equal(check(np('  namespace: shop-1\n'), [objectNamespace]), []);
  assert.equal(check(np(''), [objectNamespace]), []);
});

test('an invalid namespace is reported', () => {
  assert.equal(check(np('  namespace: Shop\n'), [objectNamespace]), [
    `${FILE}:5:14: error: metadata.namespace: invalid value "Shop": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
  ]);
});

test('a namespace over 63 bytes is too long', () => {
  const long = 'a'.repeat(64);
  assert.equal(check(np(`  namespace: ${long}\n`), [objectNamespace]), [`${FILE}:5:14: error: metadata.namespace: invalid value "${long}": must be no more than 63 bytes`]);
});

test.run();
