import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { labels } from '../../src/validate/rules/labels.js';
import { check, FILE } from './support.js';

const ns = (labelsYaml: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n${labelsYaml}`;
const deploy = (labelsYaml: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n${labelsYaml}`;

test('qualified keys and label values are valid, empty values too', () => {
  assert.equal(check(ns('    app.kubernetes.io/name: web\n    tier: ""\n    Team_1: A.b-c\n'), [labels]), []);
  assert.equal(check(deploy('        app: web\n'), [labels]), []);
});

test('an invalid label key is reported at the key', () => {
  assert.equal(check(ns('    -bad: x\n'), [labels]), [
    `${FILE}:6:5: error: metadata.labels.-bad: invalid value "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
  ]);
});

test('a key prefix must be a DNS subdomain and non-empty', () => {
  assert.equal(check(ns('    /x: a\n'), [labels]), [`${FILE}:6:5: error: metadata.labels./x: invalid value "/x": prefix part must be non-empty`]);
});

test('an invalid label value in a pod template is reported at the value', () => {
  assert.equal(check(deploy('        app: "web app"\n'), [labels]), [
    `${FILE}:9:14: error: spec.template.metadata.labels.app: invalid value "web app": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
  ]);
});

test('a label value over 63 bytes is too long', () => {
  const v = 'v'.repeat(64);
  assert.equal(check(ns(`    a: ${v}\n`), [labels]), [`${FILE}:6:8: error: metadata.labels.a: invalid value "${v}": must be no more than 63 bytes`]);
});

test.run();
