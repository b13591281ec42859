import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findRisks } from '../../src/diff/risks.js';
import { diffSnapshots } from '../../src/diff/snapshot-diff.js';
import type { Snapshot } from '../../src/snapshot/model.js';
import { ag, any, rule, snapshot, tags } from './build.js';

const db = tags('role=db', 'namespace=default');
const fe = tags('role=frontend', 'namespace=default');

function risksOf(base: Snapshot, head: Snapshot) {
  const d = diffSnapshots(base, head);
  return findRisks(d.firewallPolicies, { base, head, podCIDR: '10.244.0.0/16' }).map((r) => `${r.kind}: ${r.message}`);
}

test('a new pass from any, and from 0.0.0.0/0 and ::/0', () => {
  const head = snapshot({
    policies: {
      fp: [
        rule('from-any', { ep1: any, ep2: db, port: 443 }),
        rule('from-world', { ep1: ag('0.0.0.0/0'), ep2: db, port: 443 }),
        rule('from-world6', { ep1: ag('::/0'), ep2: db, port: 443 }),
        rule('from-office', { ep1: ag('192.0.2.0/24'), ep2: db, port: 443 }),
      ],
    },
    addressGroups: { '0.0.0.0/0': ['0.0.0.0/0'], '::/0': ['::/0'], '192.0.2.0/24': ['192.0.2.0/24'] },
  });
  assert.equal(risksOf(snapshot({ policies: { fp: [] } }), head), [
    'pass-from-anywhere: New pass rule from-any accepts connections from anywhere: any > role=db && namespace=default (tcp:443)',
    'pass-from-anywhere: New pass rule from-world accepts connections from anywhere: Address Group: 0.0.0.0/0 > role=db && namespace=default (tcp:443)',
    'pass-from-anywhere: New pass rule from-world6 accepts connections from anywhere: Address Group: ::/0 > role=db && namespace=default (tcp:443)',
  ]);
});

test('egress to outside the pod network is flagged; to a range inside it is not', () => {
  const head = snapshot({
    policies: {
      fp: [
        rule('to-net', { ep1: db, ep2: ag('10.0.0.0/24'), port: 5978, direction: 'egress' }),
        rule('to-pods', { ep1: db, ep2: ag('10.244.1.0/24'), port: 5978, direction: 'egress' }),
      ],
    },
    addressGroups: { '10.0.0.0/24': ['10.0.0.0/24'], '10.244.1.0/24': ['10.244.1.0/24'] },
  });
  assert.equal(risksOf(snapshot({ policies: { fp: [] } }), head), [
    'egress-outside-cluster: New pass rule to-net lets pods connect outside the cluster (pod network 10.244.0.0/16): role=db && namespace=default > Address Group: 10.0.0.0/24 (tcp:5978)',
  ]);
});

test('a changed rule is flagged only when the change widens it', () => {
  const wide = rule('r', { ep1: any, ep2: db, port: [1000, 2000] });
  const narrower = rule('r', { ep1: any, ep2: db, port: 1500 });
  assert.equal(risksOf(snapshot({ policies: { fp: [wide] } }), snapshot({ policies: { fp: [narrower] } })), []);
  assert.equal(risksOf(snapshot({ policies: { fp: [narrower] } }), snapshot({ policies: { fp: [wide] } })), [
    'pass-from-anywhere: Changed pass rule r accepts connections from anywhere: any > role=db && namespace=default (tcp:1000-2000)',
  ]);
});

test('a deny removed, a deny turned pass', () => {
  const deny = rule('deny', { action: 'deny', ep1: any, ep2: db });
  const except = rule('except', { action: 'deny', ep1: ag('172.17.1.0/24'), ep2: db, port: 6379 });
  const groups = { '172.17.1.0/24': ['172.17.1.0/24'], '172.17.1.0/25': ['172.17.1.0/25'] };
  assert.equal(risksOf(snapshot({ policies: { fp: [deny] } }), snapshot({ policies: { fp: [] } })), [
    'deny-removed: Deny rule deny is removed: any > role=db && namespace=default (any)',
  ]);
  assert.equal(
    risksOf(snapshot({ policies: { fp: [except] }, addressGroups: groups }), snapshot({ policies: { fp: [{ ...except, action: 'pass' }] }, addressGroups: groups })),
    ['deny-removed: Deny rule except now passes: Address Group: 172.17.1.0/24 > role=db && namespace=default (tcp:6379)'],
  );
});

test('a selector that now matches more pods (fewer tags, or any); a different selector is not flagged', () => {
  const r = rule('r', { ep1: fe, ep2: db, port: 80 });
  const fewer = rule('r', { ep1: tags('namespace=default'), ep2: db, port: 80 });
  const other = rule('r', { ep1: tags('role=api', 'namespace=default'), ep2: db, port: 80 });
  assert.equal(risksOf(snapshot({ policies: { fp: [r] } }), snapshot({ policies: { fp: [fewer] } })), [
    'selector-widened: A selector now matches more pods: role=frontend && namespace=default -> namespace=default (rule r)',
  ]);
  assert.equal(risksOf(snapshot({ policies: { fp: [r] } }), snapshot({ policies: { fp: [other] } })), []);
});

test('cluster-wide rules (no owning NetworkPolicy) are not flagged as passes', () => {
  const allow = { ...rule('k8s-Namespace-default-ingress', { ep1: any, ep2: tags('namespace=default') }), source: undefined };
  assert.equal(risksOf(snapshot({ policies: { 'k8s-allowall': [] } }), snapshot({ policies: { 'k8s-allowall': [allow] } })), []);
});

test.run();
