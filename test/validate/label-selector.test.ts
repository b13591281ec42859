import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { labelSelector } from '../../src/validate/rules/label-selector.js';
import { check, FILE, policy } from './support.js';

const sel = (body: string): string => policy(`  podSelector:\n${body}`);

test('matchLabels and every operator used correctly are valid', () => {
  const yaml = sel(`    matchLabels: {app: web}
    matchExpressions:
    - {key: tier, operator: In, values: [a, b]}
    - {key: tier, operator: NotIn, values: [c]}
    - {key: env, operator: Exists}
    - {key: env, operator: DoesNotExist, values: []}
`);
  assert.equal(check(yaml, [labelSelector]), []);
});

test('In / NotIn need values', () => {
  assert.equal(check(sel('    matchExpressions:\n    - {key: tier, operator: In}\n'), [labelSelector]), [
    `${FILE}:9:7: error: spec.podSelector.matchExpressions[0].values: must be specified when \`operator\` is 'In' or 'NotIn'`,
  ]);
});

test('Exists / DoesNotExist take no values', () => {
  assert.equal(check(sel('    matchExpressions:\n    - {key: tier, operator: Exists, values: [a]}\n'), [labelSelector]), [
    `${FILE}:9:45: error: spec.podSelector.matchExpressions[0].values: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
  ]);
});

test('an unknown operator is unsupported', () => {
  assert.equal(check(sel('    matchExpressions:\n    - {key: tier, operator: in, values: [a]}\n'), [labelSelector]), [
    `${FILE}:9:29: error: spec.podSelector.matchExpressions[0].operator: unsupported value "in": supported values: "In", "NotIn", "Exists", "DoesNotExist"`,
  ]);
});

test('requirement keys and values are checked; matchLabels too', () => {
  const yaml = sel(`    matchLabels: {app: "a b"}
    matchExpressions:
    - {key: "a/b/c", operator: In, values: ["x y"]}
`);
  assert.equal(check(yaml, [labelSelector]), [
    `${FILE}:8:24: error: spec.podSelector.matchLabels.app: invalid value "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    `${FILE}:10:13: error: spec.podSelector.matchExpressions[0].key: invalid value "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    `${FILE}:10:45: error: spec.podSelector.matchExpressions[0].values[0]: invalid value "x y": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
  ]);
});

test('selectors in peers are checked as well', () => {
  const yaml = policy(`  podSelector: {}
  ingress:
  - from:
    - namespaceSelector:
        matchExpressions: [{key: team, operator: NotIn}]
`);
  assert.equal(check(yaml, [labelSelector]), [
    `${FILE}:11:28: error: spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values: must be specified when \`operator\` is 'In' or 'NotIn'`,
  ]);
});

test.run();
