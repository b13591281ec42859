/** The fast YAML dumper writes exactly what js-yaml's dump writes, for any document. */
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createYamlDumper, YAML_DUMP_OPTIONS } from '../../src/render/yaml-block.js';

const same = (doc: unknown, dumper = createYamlDumper()) => assert.is(dumper.dump(doc), dump(doc, YAML_DUMP_OPTIONS), JSON.stringify(doc));

/** Strings YAML reads as something else, or that need quoting, escaping or a block style. */
const TRICKY = [
  '', ' ', '  ', '\t', 'yes', 'Yes', 'NO', 'no', 'on', 'Off', 'y', 'n', 'null', 'Null', 'NULL', '~', 'true', 'False', 'TRUE',
  '0x1F', '0o17', '017', '0b101', '1e3', '1.5', '-1', '+1', '.5', '.inf', '-.Inf', '.NaN', '1_000', '6379', '0', '-0', '12:30:00',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '=', '<<', '*', '&', '*a', '&a', ':', 'a:', 'a: b', 'a:b', ':a', '#', 'a #b', 'a#b',
  ' lead', 'trail ', '@x', '`x', "'", "it's", '"', 'say "hi"', '\\', 'é', 'naïve-ünïcode', '日本語', '😀', '\u00a0', '\u2028',
  '\ufeff', '\u0007', '\x7f', '\r', 'a\nb', 'a\n', '\n', 'a\n\nb', ' a\nb', '-', '--', '---', '--- x', '...', '-x', '- x', '?',
  '? x', '?x', '%', '%x', '!', '!x', '!!str', '|', '|x', '>', '<>', '<', '>x', ',', '[', ']', '{', '}', '{a}', '[a]', 'a,b',
  'x'.repeat(2000), `${'word '.repeat(40)}end`, 'default-policy-management:ag-0', 'kubernetes.io__slash__metadata.name=kube-system',
  'default-ingress-np-0-ipBlock-0-172.17.1.0/24-0', '1:20', '190:20:30', '1_000_000', '0-0-0-0-0-b42e1836', '1.0', '1e', '0777', '0x',
  '1/2', '1=2', '10.0.0.0/8', '02990.0', '3.', '1:', '1.2.3', '0b2', '0o8', '1e+3', '1E3', '+.5', '9a', 'Y', 'N', 'On', 'a=', 'a:=', 'a.', 'core.contrail.juniper.net/v1alpha1', 'app=api', 'pass', 'deny', 'tcp',
];

test('every tricky string: as a value, a sequence item, a key, nested deep', () => {
  const dumper = createYamlDumper();
  for (const s of TRICKY) {
    same({ k: s }, dumper);
    same({ a: { b: { c: [s, { d: s }] } } }, dumper);
    same([s], dumper);
    same([[s, s], []], dumper);
    same({ [s]: s, other: 1 }, dumper);
    same({ list: [{ [s]: [s] }] }, dumper);
  }
  // After the cache has seen them as values: again, as keys and values in one document.
  same(Object.fromEntries(TRICKY.map((s, i) => [s, { i, s, list: [s, i] }])), dumper);
});

test('numbers, booleans, empty collections, and what only dump handles (null, undefined, scalars at the root)', () => {
  for (const doc of [
    { n: 0, m: -0, x: 1.5, big: 1e21, small: 1e-7, nan: Number.NaN, inf: Number.POSITIVE_INFINITY, ninf: -Infinity, neg: -42 },
    { t: true, f: false, e: [], o: {}, nested: [[], {}, [[]], [{}]] },
    { a: null, b: undefined, c: [1, undefined, null] },
    { d: new Date(0) },
    'scalar',
    'a\nb',
    42,
    null,
    [],
    {},
    [[1, 2], [3]],
    [{ a: 1, b: 2 }, { c: { d: [1] } }],
    { '1': 'numeric key first', a: 'b', '0': 'zero' },
    Object.assign(Object.create(null), { bare: 'object' }),
  ]) {
    same(doc);
  }
});

test('a CN2 resource as rendered, with repeated scalars served from the cache', () => {
  const dumper = createYamlDumper();
  const ref = (name: string) => ({ apiVersion: 'core.contrail.juniper.net/v1alpha1', kind: 'FirewallRule', name, namespace: 'shop', fqName: ['default-policy-management', name] });
  for (let i = 0; i < 3; i++) {
    same(
      {
        apiVersion: 'core.contrail.juniper.net/v1alpha1',
        kind: 'FirewallPolicy',
        metadata: { name: `fp-${i}`, namespace: 'shop' },
        spec: {
          fqName: ['default-policy-management', `fp-${i}`],
          firewallRuleReferences: [{ ...ref(`r-${i}`), attributes: { sequence: '00001.0' } }, { ...ref('r-x'), attributes: { sequence: '00002.0' } }],
        },
      },
      dumper,
    );
  }
});

test('property: random JSON-like documents dump as js-yaml dumps them', () => {
  const tricky = fc.constantFrom(...TRICKY);
  const scalar = fc.oneof(tricky, fc.string(), fc.string({ unit: 'grapheme' }), fc.integer(), fc.double(), fc.boolean());
  const key = fc.oneof(tricky, fc.string({ maxLength: 6 }), fc.constantFrom('apiVersion', 'kind', 'spec'));
  const { doc } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('doc')),
    list: fc.array(tie('value'), { maxLength: 4 }),
    doc: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  }));
  const dumper = createYamlDumper();
  fc.assert(
    fc.property(fc.oneof(doc, fc.array(doc, { maxLength: 3 })), (d) => {
      assert.is(dumper.dump(d), dump(d, YAML_DUMP_OPTIONS));
    }),
    { numRuns: 400, seed: 7 },
  );
});

test.run();
