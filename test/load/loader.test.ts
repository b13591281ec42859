import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostic, sortDiagnostics } from '../../src/diagnostics.js';
import type { FileSource } from '../../src/load/file-source.js';
import { loadObjects, MAX_FILE_BYTES } from '../../src/load/loader.js';
import { memorySource } from '../../src/load/memory-source.js';

const NP = (name: string): string => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n`;

async function load(files: Record<string, string | Buffer>): Promise<{ objects: string[]; diagnostics: string[]; files: number }> {
  const r = await loadObjects(memorySource(files), 'policies');
  return {
    objects: r.objects.map((o) => `${o.origin.doc.file}#${o.origin.doc.index}${o.origin.root.map((s) => `/${s}`).join('')} ${o.kind} ${String((o.value.metadata as { name?: unknown } | undefined)?.name)}`),
    diagnostics: sortDiagnostics(r.diagnostics).map(formatDiagnostic),
    files: r.files,
  };
}

test('walks .yaml, .yml, .json in byte order of paths, whatever the listing order; ignores other files', async () => {
  const r = await load({
    'policies/b.yaml': NP('b'),
    'policies/README.md': '# not a policy',
    'policies/a/z.yml': NP('az'),
    'policies/B.json': JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'B' } }),
    'policies/a.yaml.bak': NP('bak'),
    'policies/_.YAML': NP('upper'),
    'other/x.yaml': NP('outside'),
  });
  assert.equal(r.objects, [
    'policies/B.json#0 NetworkPolicy B',
    'policies/a/z.yml#0 NetworkPolicy az',
    'policies/b.yaml#0 NetworkPolicy b',
  ]);
  assert.is(r.files, 3);
  assert.equal(r.diagnostics, []);
});

test('the order does not depend on the source listing order', async () => {
  const files = ['policies/c.yaml', 'policies/a.yaml', 'policies/b/a.yaml', 'policies/b.yaml'];
  const reversed: FileSource = {
    label: 'shuffled',
    list: async () => files.map((path) => ({ path, size: 10 })),
    read: async (p) => Buffer.from(NP(p.replace(/\W/g, '-'))),
  };
  const r = await loadObjects(reversed, 'policies');
  assert.equal(
    r.objects.map((o) => o.origin.doc.file),
    ['policies/a.yaml', 'policies/b.yaml', 'policies/b/a.yaml', 'policies/c.yaml'],
  );
});

test('multi-document YAML; comment-only documents are skipped', async () => {
  const r = await load({ 'policies/m.yaml': `${NP('one')}---\n# nothing here\n---\n${NP('two')}...\n---\n` });
  assert.equal(r.objects, ['policies/m.yaml#0 NetworkPolicy one', 'policies/m.yaml#2 NetworkPolicy two']);
  assert.equal(r.diagnostics, []);
});

test('kind: List and typed lists hold objects; a bad item is reported at its place', async () => {
  const list = `apiVersion: v1
kind: List
items:
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: first}
- apiVersion: v1
  kind: Namespace
  metadata: {name: shop}
- 42
`;
  const typed = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicyList\nitems:\n- ${NP('typed').trimEnd().split('\n').join('\n  ')}\n`;
  const r = await load({ 'policies/list.yaml': list, 'policies/typed.yaml': typed });
  assert.equal(r.objects, [
    'policies/list.yaml#0/items/0 NetworkPolicy first',
    'policies/list.yaml#0/items/1 Namespace shop',
    'policies/typed.yaml#0/items/0 NetworkPolicy typed',
  ]);
  assert.equal(r.diagnostics, [
    'policies/list.yaml:10:3: error: a List item must be a Kubernetes object (a mapping with apiVersion and kind), not the number 42',
  ]);
});

test('an empty file is a notice (it changes nothing), not an error', async () => {
  const r = await load({ 'policies/empty.yaml': '', 'policies/comments.yaml': '# TODO\n', 'policies/dashes.yaml': '---\n---\n' });
  assert.equal(r.diagnostics, [
    'policies/comments.yaml: notice: no Kubernetes objects in this file',
    'policies/dashes.yaml: notice: no Kubernetes objects in this file',
    'policies/empty.yaml: notice: no Kubernetes objects in this file',
  ]);
});

test('malformed YAML is an error at the position js-yaml reports', async () => {
  const r = await load({ 'policies/bad.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n   labels: {}\n', 'policies/flow.yaml': 'a: [1, 2\n' });
  assert.equal(r.diagnostics, [
    'policies/bad.yaml:5:10: error: invalid YAML: bad indentation of a mapping entry',
    'policies/flow.yaml:2:1: error: invalid YAML: deficient indentation',
  ]);
  assert.equal(r.objects, []);
});

test('a duplicate key is an error at the second key', async () => {
  const r = await load({ 'policies/dup.yaml': `${NP('a')}spec:\n  podSelector: {}\n  podSelector: {}\n` });
  assert.equal(r.diagnostics, ['policies/dup.yaml:7:3: error: invalid YAML: duplicated mapping key']);
});

test('a document that is not a mapping is an error', async () => {
  const r = await load({ 'policies/list.yaml': '- a\n- b\n', 'policies/scalar.yaml': `${NP('ok')}---\njust text\n` });
  assert.equal(r.diagnostics, [
    'policies/list.yaml:1:1: error: a YAML document must be a Kubernetes object (a mapping with apiVersion and kind), not a list',
    'policies/scalar.yaml:6:1: error: a YAML document must be a Kubernetes object (a mapping with apiVersion and kind), not the string "just text"',
  ]);
  assert.equal(r.objects, ['policies/scalar.yaml#0 NetworkPolicy ok']);
});

test('missing or non-string apiVersion and kind', async () => {
  const r = await load({ 'policies/a.yaml': 'metadata: {name: a}\n', 'policies/b.yaml': 'apiVersion: 1\nkind: [Pod]\n' });
  assert.equal(r.diagnostics, [
    'policies/a.yaml:1:1: error: apiVersion: apiVersion is required: every Kubernetes object needs apiVersion and kind',
    'policies/a.yaml:1:1: error: kind: kind is required: every Kubernetes object needs apiVersion and kind',
    'policies/b.yaml:1:13: error: apiVersion: must be a string, not the number 1',
    'policies/b.yaml:2:7: error: kind: must be a string, not a list',
  ]);
});

test('a file over 10 MiB is refused from its size, before it is read', async () => {
  let read = false;
  const big: FileSource = {
    label: 'big',
    list: async () => [{ path: 'policies/huge.yaml', size: MAX_FILE_BYTES + 1 }],
    read: async () => {
      read = true;
      return Buffer.from('');
    },
  };
  const r = await loadObjects(big, 'policies');
  assert.equal(r.diagnostics.map(formatDiagnostic), [
    'policies/huge.yaml: error: file is 10485761 bytes, over the 10 MiB limit for a policy file: split it or move it out of the policies folder',
  ]);
  assert.not.ok(read);
});

test('binary files and invalid UTF-8 are refused with the position of the first bad byte', async () => {
  const r = await load({
    'policies/bin.yaml': Buffer.from([0x61, 0x3a, 0x0a, 0x89, 0x50, 0x00, 0x01]),
    'policies/latin1.yaml': Buffer.concat([Buffer.from('kind: Pod\nname: caf'), Buffer.from([0xe9, 0x0a])]),
  });
  assert.equal(r.diagnostics, [
    'policies/bin.yaml:2:3: error: binary file (contains NUL bytes): expected YAML or JSON text',
    'policies/latin1.yaml:2:10: error: not valid UTF-8 text (byte 0xe9): save the file as UTF-8',
  ]);
});

test('a UTF-8 byte-order mark is not content: columns on line 1 stay right', async () => {
  const r = await load({ 'policies/bom.yaml': `\uFEFFapiVersion: [\n` });
  assert.equal(r.diagnostics, ['policies/bom.yaml:2:1: error: invalid YAML: deficient indentation']);
});

test('YAML aliases: a few are fine, an exponential expansion is refused', async () => {
  const ok = `${NP('a')}spec:\n  podSelector: &sel {matchLabels: {app: a}}\n  ingress:\n  - from: [{podSelector: *sel}]\n`;
  const lol = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lol.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const r = await load({ 'policies/ok.yaml': ok, 'policies/lol.yaml': `${lol.join('\n')}\n` });
  assert.equal(r.objects, ['policies/ok.yaml#0 NetworkPolicy a']);
  assert.equal(r.diagnostics.length, 1);
  assert.match(r.diagnostics[0], /^policies\/lol\.yaml:6:\d+: error: YAML aliases expand to more than 100000 nodes: refused/);
});

test('too many aliases in one document are refused', async () => {
  const many = `a: &x 1\nb: [${Array(101).fill('*x').join(', ')}]\n`;
  const r = await load({ 'policies/many.yaml': many });
  assert.equal(r.diagnostics.length, 1);
  assert.match(r.diagnostics[0], /^policies\/many\.yaml:2:\d+: error: invalid YAML: .*alias/);
});

test('nesting too deep is refused', async () => {
  const r = await load({ 'policies/deep.yaml': `a: ${'['.repeat(70)}${']'.repeat(70)}\n` });
  assert.equal(r.diagnostics, ['policies/deep.yaml:1:67: error: invalid YAML: nesting exceeded maxDepth (64)']);
});

test('JSON files load the same way, with positions', async () => {
  const json = '{\n  "apiVersion": "networking.k8s.io/v1",\n  "kind": "NetworkPolicy",\n  "metadata": {"name": "j"},\n  "spec": {"podSelector": {}}\n}\n';
  const r = await load({ 'policies/p.json': json, 'policies/bad.json': '{"a": 1,,}' });
  assert.equal(r.objects, ['policies/p.json#0 NetworkPolicy j']);
  assert.equal(r.diagnostics.length, 1);
  assert.match(r.diagnostics[0], /^policies\/bad\.json:1:\d+: error: invalid YAML: /);
});

test('a missing policies folder is the source error (UserError)', async () => {
  try {
    await loadObjects(memorySource({ 'x/a.yaml': '' }), 'policies');
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).name, 'UserError');
    assert.is((e as Error).message, 'policies: no such folder (memory)');
  }
});

test.run();
