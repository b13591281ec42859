import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { annotations } from '../../src/validate/rules/annotations.js';
import { check, FILE } from './support.js';

const ns = (ann: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations:\n${ann}`;

test('qualified annotation keys (any case) with any values are valid', () => {
  assert.equal(check(ns('    example.com/Owner: "Team A, floor 3"\n    note: ""\n'), [annotations]), []);
});

test('an invalid annotation key is reported at the key', () => {
  assert.equal(check(ns('    "bad key": x\n'), [annotations]), [
    `${FILE}:6:5: error: metadata.annotations.bad key: invalid value "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
  ]);
});

test('annotations over 256 KiB in total are refused', () => {
  const big = 'x'.repeat(256 * 1024);
  assert.equal(check(ns(`    a: ${big}\n`), [annotations]), [`${FILE}:6:5: error: metadata.annotations: may not have more than 262144 bytes in total (262145 bytes)`]);
});

test.run();
