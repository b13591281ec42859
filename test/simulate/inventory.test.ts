/** The inventory: pods from workloads (names, addresses), namespaces, synthesized pods, lookup. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UserError } from '../../src/diagnostics.js';
import { buildInventory, findPod, podRef } from '../../src/simulate/inventory.js';
import { formatAddress } from '../../src/net/ip.js';
import { workloadTags } from '../../src/snapshot/workload-tags.js';
import { docs, namespace, pod, policySetFrom } from './support.js';

const deployment = (ns: string, name: string, labels: Record<string, string>) =>
  JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
const statefulSet = (ns: string, name: string) =>
  JSON.stringify({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: ns }, spec: { serviceName: name, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
const np = (ns: string, name: string, spec: object): string =>
  JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });

test('one pod per workload: its template labels, a StatefulSet pod named <name>-0, namespaces from every object', async () => {
  const ps = await policySetFrom(docs(namespace('shop', { team: 'blue' }), deployment('shop', 'web', { app: 'web' }), statefulSet('data', 'pg'), pod('shop', 'debug', {}, { ip: '10.9.0.1' }), np('audit', 'deny', { podSelector: {} })));
  const inv = buildInventory(ps);
  assert.equal(inv.pods.map((p) => [podRef(p), p.workload?.kind, p.labels]), [
    ['data/pg-0', 'StatefulSet', [['app', 'pg']]],
    ['shop/debug', 'Pod', []],
    ['shop/web', 'Deployment', [['app', 'web']]],
  ]);
  assert.equal(inv.namespaces.map((n) => [n.name, n.labels]), [
    ['audit', [['kubernetes.io/metadata.name', 'audit']]],
    ['data', [['kubernetes.io/metadata.name', 'data']]],
    ['shop', [['kubernetes.io/metadata.name', 'shop'], ['team', 'blue']]],
  ]);
  assert.is(inv.synthesized, false);
  assert.is(formatAddress(inv.pods[1]!.ip), '10.9.0.1');
  assert.is(inv.pods[1]!.ipSource, 'status');
});

test('assigned addresses: inside the pod CIDR, stable, distinct, never the network or broadcast address', async () => {
  const many = Array.from({ length: 14 }, (_, i) => pod('ns', `p${i}`));
  const ps = await policySetFrom(docs(...many));
  const a = buildInventory(ps, { podCIDR: '192.168.7.0/28' });
  const b = buildInventory(ps, { podCIDR: '192.168.7.0/28' });
  const ips = a.pods.map((p) => formatAddress(p.ip));
  assert.equal(ips, b.pods.map((p) => formatAddress(p.ip)));
  assert.is(new Set(ips).size, 14);
  for (const ip of ips) assert.ok(/^192\.168\.7\.(\d+)$/.test(ip) && !['192.168.7.0', '192.168.7.15'].includes(ip), ip);
  try {
    buildInventory(ps, { podCIDR: '192.168.7.0/29' });
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).message, 'podCIDR: 192.168.7.0/29 has 6 usable addresses, but 14 pods need one; configure a larger podCIDR');
  }
});

test('no workloads: pods synthesized from the selectors, one per label set, plus an unlabelled pod per namespace', async () => {
  const ps = await policySetFrom(
    np('shop', 'db', {
      podSelector: { matchLabels: { role: 'db' } },
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'test'] }] } }, { namespaceSelector: {}, podSelector: { matchLabels: { app: 'x' } } }] }],
    }),
  );
  const inv = buildInventory(ps);
  assert.is(inv.synthesized, true);
  assert.equal(inv.pods.map((p) => [podRef(p), p.labels]), [
    ['shop/app-x', [['app', 'x']]],
    ['shop/env-dev', [['env', 'dev']]],
    ['shop/env-test', [['env', 'test']]],
    ['shop/role-db', [['role', 'db']]],
    ['shop/unlabelled', []],
  ]);
});

test('findPod: namespace/name, workload name, bare name when unique; close names when unknown', async () => {
  const inv = buildInventory(await policySetFrom(docs(statefulSet('data', 'pg'), pod('a', 'web'), pod('b', 'web'))));
  assert.is(podRef(findPod(inv, 'data/pg')), 'data/pg-0');
  assert.is(podRef(findPod(inv, 'pg-0')), 'data/pg-0');
  const fails = (text: string) => {
    try {
      findPod(inv, text);
    } catch (e) {
      assert.instance(e, UserError);
      return (e as Error).message;
    }
    return 'found';
  };
  assert.is(fails('web'), '"web" names 2 pods: a/web, b/web; write namespace/name');
  assert.is(fails('c/web'), 'no pod "c/web" in the inventory; close names: a/web, b/web');
  assert.is(fails('data/pgx'), 'no pod "data/pgx" in the inventory; close names: data/pg-0');
});

test('workload tags: namespace and application, pod labels, namespace labels winning, __slash__, lower-cased type', () => {
  assert.equal(
    workloadTags('k8s', 'shop', [['team', 'blue']], [['App', 'web'], ['team', 'red'], ['example.com/tier', 'a/b']]),
    ['app=web', 'application=k8s', 'example.com__slash__tier=a__slash__b', 'namespace=shop', 'team=blue'],
  );
  assert.equal(workloadTags('k8s', 'shop', [], [['application', 'other']]), ['application=other', 'namespace=shop']);
});

test.run();
