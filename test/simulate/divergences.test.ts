/**
 * Every known way CN2 differs from Kubernetes (mapping.md), compiled by the real cn2 compiler and
 * found by `verify` under its own cause, with an example a person can replay with `explain`.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildInventory } from '../../src/simulate/inventory.js';
import { verify, type VerifyResult } from '../../src/simulate/verify.js';
import { cn2, docs, namespace, pod, policySetFrom } from './support.js';

const np = (ns: string, name: string, spec: object): string =>
  JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });

async function run(...parts: string[]): Promise<VerifyResult> {
  const ps = await policySetFrom(docs(...parts));
  return verify(ps, cn2(ps), buildInventory(ps));
}

/** cause -> [count, contrailAllows, contrailDenies, "from -> to PROTO port" of the example]. */
const summary = (r: VerifyResult) =>
  Object.fromEntries(r.groups.map((g) => [g.cause, [g.count, g.contrailAllows, g.contrailDenies, `${g.example.from} -> ${g.example.to} ${g.example.protocol} ${g.example.port}`]]));

test('union-instead-of-intersection: the receiver\'s ingress pass wins before the sender\'s egress deny-all', async () => {
  const r = await run(
    pod('a', 'client', { app: 'client' }), pod('a', 'server', { app: 'server' }),
    np('a', 'client-no-egress', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'] }),
    np('a', 'server-allow', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 80 }] }] }),
  );
  assert.equal(summary(r), { 'union-instead-of-intersection': [1, 1, 0, 'a/client -> a/server TCP 80'] });
  assert.equal(r.groups[0]!.policies, ['a/client-no-egress', 'a/server-allow']);
});

const db = pod('a', 'db', { app: 'db' });
const dbPolicy = (name: string, ingress: object[]) => np('a', name, { podSelector: { matchLabels: { app: 'db' } }, ingress });

test('except-deny-shadowing: the except deny comes before the podSelector pass that allows the pod', async () => {
  const r = await run(
    db, pod('a', 'client', { app: 'client' }, { ip: '172.17.1.5' }),
    dbPolicy('p', [{ from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }, { podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 5432 }] }]),
  );
  assert.equal(summary(r), { 'except-deny-shadowing': [1, 0, 1, 'a/client -> a/db TCP 5432'] });
  assert.is(r.groups[0]!.example.contrail.receiver!.rule, 'default-policy-management:a-ingress-p-0-ipBlock-0-172.17.1.0/24-0');
});

test('match-expressions-narrowed: In [dev, test] keeps only test', async () => {
  const r = await run(
    db, pod('a', 'dev', { env: 'dev' }), pod('a', 'test', { env: 'test' }),
    dbPolicy('p', [{ from: [{ podSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'test'] }] } }], ports: [{ port: 5432 }] }]),
  );
  assert.equal(summary(r), { 'match-expressions-narrowed': [1, 0, 1, 'a/dev -> a/db TCP 5432'] });
});

test('match-expressions-widened: Exists is dropped (the peer becomes any), NotIn keeps one value', async () => {
  const exists = await run(
    db, pod('a', 'dev', { env: 'dev' }), pod('a', 'plain'),
    dbPolicy('p', [{ from: [{ podSelector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] } }], ports: [{ port: 5432 }] }]),
  );
  assert.equal(summary(exists), { 'match-expressions-widened': [1, 1, 0, 'a/plain -> a/db TCP 5432'] });
  const notIn = await run(
    namespace('dev', { env: 'dev' }), namespace('test', { env: 'test' }), namespace('prod', { env: 'prod' }),
    db, pod('dev', 'x'), pod('test', 'y'), pod('prod', 'z'),
    dbPolicy('p', [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev', 'test'] }] } }], ports: [{ port: 5432 }] }]),
  );
  assert.equal(summary(notIn), { 'match-expressions-widened': [1, 1, 0, 'dev/x -> a/db TCP 5432'] });
});

test('top-level-expressions-ignored: the policy isolates db pods its expression excludes', async () => {
  const r = await run(
    pod('a', 'db-prod', { app: 'db', tier: 'prod' }), pod('a', 'db-dev', { app: 'db', tier: 'dev' }), pod('a', 'c', { app: 'c' }),
    np('a', 'p', { podSelector: { matchLabels: { app: 'db' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['prod'] }] }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'c' } } }] }] }),
  );
  assert.equal(summary(r), { 'top-level-expressions-ignored': [1, 0, 1, 'a/db-prod -> a/db-dev TCP 80'] });
});

test('empty-namespace-selector-dropped: next to another peer it is lost; alone it widens to any address', async () => {
  const lost = await run(
    db, pod('b', 'x'), pod('a', 'c', { app: 'c' }),
    dbPolicy('p', [{ from: [{ namespaceSelector: {} }, { podSelector: { matchLabels: { app: 'c' } } }], ports: [{ port: 80 }] }]),
  );
  assert.equal(summary(lost), { 'empty-namespace-selector-dropped': [1, 0, 1, 'b/x -> a/db TCP 80'] });
  const alone = await run(
    db, pod('b', 'x', { app: 'x' }),
    dbPolicy('p', [{ from: [{ namespaceSelector: {} }], ports: [{ port: 80 }] }]),
    // Only here to give verify outside addresses to probe with.
    np('b', 'q', { podSelector: { matchLabels: { app: 'x' } }, ingress: [{ from: [{ ipBlock: { cidr: '192.0.2.0/30' } }], ports: [{ port: 80 }] }] }),
  );
  assert.equal(summary(alone), { 'empty-namespace-selector-dropped': [3, 3, 0, '192.0.2.0 -> a/db TCP 80'] });
});

test('own-namespace-only: {namespaceSelector: {}, podSelector: {}} leaves out the other namespaces', async () => {
  const r = await run(db, pod('b', 'x'), dbPolicy('p', [{ from: [{ namespaceSelector: {}, podSelector: {} }], ports: [{ port: 80 }] }]));
  assert.equal(summary(r), { 'own-namespace-only': [1, 0, 1, 'b/x -> a/db TCP 80'] });
});

test('namespace-label-spoofing: a pod label poses as the namespace label a namespaceSelector asks for', async () => {
  const r = await run(
    namespace('trusted', { zone: 'trusted' }), db, pod('a', 'spoofer', { zone: 'trusted' }), pod('trusted', 't'),
    dbPolicy('p', [{ from: [{ namespaceSelector: { matchLabels: { zone: 'trusted' } } }], ports: [{ port: 80 }] }]),
  );
  assert.equal(summary(r), { 'namespace-label-spoofing': [1, 1, 0, 'a/spoofer -> a/db TCP 80'] });
});

test('end-port-ignored: only the first port of 8000-8010 is allowed', async () => {
  const r = await run(db, pod('a', 'c'), dbPolicy('p', [{ ports: [{ port: 8000, endPort: 8010 }] }]));
  assert.equal(summary(r), { 'end-port-ignored': [1, 0, 1, 'a/c -> a/db TCP 8010'] });
});

test('named-port-rejected: CN2 rejects the policy, so db is not isolated at all', async () => {
  const r = await run(
    pod('a', 'db', { app: 'db' }, { ports: [{ name: 'pg', port: 5432 }] }), pod('a', 'c', {}, { ports: [{ port: 8080 }] }),
    dbPolicy('p', [{ ports: [{ port: 'pg' }] }]),
  );
  assert.equal(summary(r), { 'named-port-rejected': [1, 1, 0, 'a/c -> a/db TCP 8080'] });
  assert.is(r.groups[0]!.example.contrail.receiver!.rule, 'default-policy-management:k8s-Namespace-a-ingress');
});

test('egress-name-collision: the second egress rule replaces the first (same peer and port indexes)', async () => {
  const r = await run(
    pod('a', 'c', { app: 'c' }), pod('a', 'x', { app: 'x' }), pod('a', 'y', { app: 'y' }),
    np('a', 'p', {
      podSelector: { matchLabels: { app: 'c' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'x' } } }], ports: [{ port: 80 }] }, { to: [{ podSelector: { matchLabels: { app: 'y' } } }], ports: [{ port: 443 }] }],
    }),
  );
  assert.equal(summary(r), { 'egress-name-collision': [1, 0, 1, 'a/c -> a/x TCP 80'] });
});

test('a faithful case: no divergence, and the counts add up', async () => {
  const r = await run(db, pod('a', 'web', { app: 'web' }), pod('b', 'x'), dbPolicy('p', [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }]));
  assert.equal([r.pods, r.outsideAddresses, r.points.length, r.probes, r.divergent, r.groups], [3, 0, 1, 6, 0, []]);
});

test.run();
