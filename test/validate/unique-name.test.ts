import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uniqueName } from '../../src/validate/rules/unique-name.js';
import { check, FILE } from './support.js';

const np = (name: string, ns?: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}spec: {}\n`;

test('the same name in other namespaces, or for other kinds, is fine', () => {
  const yaml = [np('web', 'a'), np('web', 'b'), np('web'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n'].join('---\n');
  assert.equal(check(yaml, [uniqueName]), []);
});

test('a second policy of the same name in a namespace is reported, naming the first', () => {
  const yaml = [np('web', 'a'), np('web', 'a')].join('---\n');
  assert.equal(check(yaml, [uniqueName]), [`${FILE}:11:9: error: metadata.name: NetworkPolicy "web" in namespace "a" is already defined at ${FILE}:4:9`]);
});

test('no namespace means default', () => {
  const yaml = [np('web', 'default'), np('web')].join('---\n');
  assert.equal(check(yaml, [uniqueName]), [`${FILE}:11:9: error: metadata.name: NetworkPolicy "web" in namespace "default" is already defined at ${FILE}:4:9`]);
});

test.run();
