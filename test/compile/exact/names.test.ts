import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { safeName, selectionLabel, shortHash, termLabel } from '../../../src/compile/exact/names.js';
import { Term } from '../../../src/compile/exact/terms.js';
import { exact } from './support.js';

const t = (...tags: string[]): Term => Term.of(tags.map((x) => x.split('=') as [string, string]))!;

test("a peer is named by its tags, without the policy's own namespace", () => {
  assert.is(termLabel(t('role=frontend', 'namespace=default'), 'default'), 'role.frontend');
  assert.is(termLabel(t('role=frontend', 'namespace=other'), 'default'), 'namespace.other-role.frontend');
  assert.is(termLabel(t('namespace=default'), 'default'), 'namespace.default', 'the whole own namespace keeps its tag');
  assert.is(termLabel(Term.EVERY_POD, 'default'), 'all-pods');
  assert.is(termLabel(t('project=myproject'), 'default'), 'project.myproject');
});

test('an isolated selection is named namespace first', () => {
  assert.is(selectionLabel(t('role=db', 'namespace=default')), 'default-role.db');
  assert.is(selectionLabel(t('namespace=shop')), 'shop');
});

test('names Contrail accepts: no colon, bounded length with a stable hash of the whole', () => {
  assert.is(safeName('exact-x-ingress-from-2001:db8::/32-tcp-80'), 'exact-x-ingress-from-2001.db8../32-tcp-80');
  const long = `exact-${'a'.repeat(300)}`;
  const name = safeName(long);
  assert.is(name.length, 200);
  assert.is(name, `${long.slice(0, 191)}-${shortHash(long, 8)}`);
  assert.is(safeName(long), name, 'stable');
  assert.is.not(safeName(`${long}b`), name);
});

test('two rules that would share a name both get a short hash of their content; others keep theirs', async () => {
  const s = await exact(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b-c, namespace: a}
spec:
  podSelector: {}
  ingress: [{}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: c, namespace: a-b}
spec:
  podSelector: {}
  ingress: [{}]
`);
  const names = s.rules.map((r) => r.name).filter((n) => n.startsWith('exact-a-b-c'));
  assert.is(names.length, 2);
  for (const n of names) assert.match(n, /^exact-a-b-c-ingress-from-any-any-[0-9a-f]{6}$/);
  assert.is.not(names[0], names[1]);
});

test.run();
