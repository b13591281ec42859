import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Path } from '../../src/model/source.js';
import { parseYamlFile, type ParsedDocument } from '../../src/load/yaml-file.js';

function docs(text: string): ParsedDocument[] {
  const r = parseYamlFile('f.yaml', text);
  if (!r.ok) throw new Error(r.problem.message);
  return r.documents;
}

const pos = (d: ParsedDocument, path: Path): string => {
  const p = d.doc.position(path);
  return `${p.line}:${p.col}`;
};
const keyPos = (d: ParsedDocument, path: Path): string => {
  const p = d.doc.keyPosition(path);
  return `${p.line}:${p.col}`;
};

const TEXT = `# comment
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
spec:
  podSelector: {matchLabels: {app: "db"}}
  ingress:
  - from:
    - ipBlock:
        cidr: 10.0.0.0/16
        except:
        - 10.1.0.0/24
    ports: [{port: 80}, {port: 'http'}]
  empty:
`;

test('positions of nested values and of their keys (1-based)', () => {
  const [d] = docs(TEXT);
  assert.is(pos(d, []), '2:1');
  assert.is(pos(d, ['kind']), '3:7');
  assert.is(keyPos(d, ['kind']), '3:1');
  assert.is(pos(d, ['spec', 'ingress', 0, 'from', 0, 'ipBlock', 'except', 0]), '11:11');
  assert.is(keyPos(d, ['spec', 'ingress', 0, 'from', 0, 'ipBlock', 'cidr']), '9:9');
  assert.is(pos(d, ['spec', 'ingress', 0]), '7:5');
});

test('flow collections and quoted scalars point at their first character (the quote)', () => {
  const [d] = docs(TEXT);
  assert.is(pos(d, ['spec', 'podSelector']), '5:16');
  assert.is(pos(d, ['spec', 'podSelector', 'matchLabels', 'app']), '5:36');
  assert.is(keyPos(d, ['spec', 'podSelector', 'matchLabels', 'app']), '5:31');
  assert.is(pos(d, ['spec', 'ingress', 0, 'ports', 1, 'port']), '12:32');
});

test('an empty value points at its key; an absent path at its nearest ancestor', () => {
  const [d] = docs(TEXT);
  assert.is(pos(d, ['spec', 'empty']), '13:3');
  assert.is(pos(d, ['spec', 'egress', 0, 'to']), '5:3');
  assert.is(keyPos(d, ['spec', 'podSelector', 'matchExpressions']), '5:16');
  assert.is(pos(d, ['metadata', 'name']), '2:1');
});

test('documents of one file are indexed separately', () => {
  const ds = docs('a: 1\n---\n# two\nb:\n  c: [x, y]\n');
  assert.is(ds.length, 2);
  assert.is(ds[1].doc.index, 1);
  assert.is(pos(ds[1], ['b', 'c', 1]), '5:10');
  assert.is(pos(ds[0], ['b']), '1:1');
});

test('paths under an alias resolve to the alias; anchors and tags are part of the node', () => {
  const [d] = docs('base: &b\n  x: 1\nuse: *b\ntagged: !!str 12\n');
  assert.is(pos(d, ['use', 'x']), '3:6');
  assert.is(pos(d, ['base']), '1:7');
  assert.is(pos(d, ['tagged']), '4:9');
});

test('keys that look like numbers or contain separators are distinct path segments', () => {
  const [d] = docs('m:\n  "0": a\n  a.b: c\nl: [z]\n');
  assert.is(pos(d, ['m', '0']), '2:8');
  assert.is(pos(d, ['m', 'a.b']), '3:8');
  assert.is(pos(d, ['l', 0]), '4:5');
});

test('merged keys (<<) point at their mapping; a collection as key is a parse error', () => {
  const [d] = docs('base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n');
  assert.is(pos(d, ['base', 'x']), '1:14');
  assert.is(pos(d, ['m', 'y']), '4:6');
  assert.is(pos(d, ['m', 'x']), '3:3');
  const r = parseYamlFile('f.yaml', '? [a, b]\n: 1\n');
  assert.equal(r.ok ? 'parsed' : r.problem, { line: 1, col: 1, message: 'invalid YAML: object-based map does not support complex keys' });
});

test('the index is built lazily and shared by the documents of a file', () => {
  const ds = docs('a: 1\n---\nb: 2\n');
  // Asking either document first gives the same answers.
  assert.is(pos(ds[1], ['b']), '3:4');
  assert.is(pos(ds[0], ['a']), '1:4');
});

test.run();
