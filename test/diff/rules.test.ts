import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffSnapshots } from '../../src/diff/snapshot-diff.js';
import { matchRules, movedPairs } from '../../src/diff/rules.js';
import { ag, any, rule, snapshot, tags } from './build.js';

const db = tags('role=db', 'namespace=default');
const fe = tags('role=frontend', 'namespace=default');
const api = tags('role=api', 'namespace=default');

const r0 = rule('default-ingress-web-0-podSelector-0-0', { ep1: fe, ep2: db, port: 6379, path: ['spec', 'ingress', 0, 'from', 0] });
const r1 = rule('default-ingress-web-1-podSelector-0-0', { ep1: api, ep2: db, port: 5432, path: ['spec', 'ingress', 1, 'from', 0] });
const deny = rule('default-ingress-web-denyall', { action: 'deny', ep1: any, ep2: db });

test('no change: nothing reported', () => {
  const s = snapshot({ policies: { 'k8s-default-web': [r0, r1] } });
  const d = diffSnapshots(s, snapshot({ policies: { 'k8s-default-web': [r0, r1] } }));
  assert.equal(d.firewallPolicies, []);
  assert.equal(d.unreferencedRules, null);
  assert.equal(d.tags, { added: [], removed: [] });
  assert.equal(d.policySets, []);
});

test('a rule added at the end is added, nothing else', () => {
  const d = diffSnapshots(snapshot({ policies: { fp: [r0] } }), snapshot({ policies: { fp: [r0, r1] } }));
  assert.equal(d.firewallPolicies.length, 1);
  const fp = d.firewallPolicies[0];
  assert.equal(fp.status, 'changed');
  assert.equal(fp.rules.map((c) => [c.kind, c.kind === 'removed' ? c.base.name : c.head.name]), [['added', r1.name]]);
  assert.equal(fp.renamed, []);
  assert.equal(fp.moved, []);
  assert.equal(d.tags.added, ['role=api']);
});

test('a rule removed is removed', () => {
  const d = diffSnapshots(snapshot({ policies: { fp: [r0, r1] } }), snapshot({ policies: { fp: [r0] } }));
  assert.equal(d.firewallPolicies[0].rules.map((c) => c.kind), ['removed']);
});

test('a port edit is one changed rule with the service field', () => {
  const edited = rule(r0.name, { ep1: fe, ep2: db, port: 6380, path: ['spec', 'ingress', 0, 'from', 0] });
  const d = diffSnapshots(snapshot({ policies: { fp: [r0, r1] } }), snapshot({ policies: { fp: [edited, r1] } }));
  const [c] = d.firewallPolicies[0].rules;
  assert.is(c.kind, 'changed');
  if (c.kind !== 'changed') return;
  assert.equal(c.fields, ['service']);
  assert.equal(c.base.service.dstPorts, { start: 6379, end: 6379 });
  assert.equal(c.head.service.dstPorts, { start: 6380, end: 6380 });
});

test('a rule inserted in front renames the others: one added, renames reported apart, no move, no change', () => {
  const inserted = rule('default-ingress-web-0-podSelector-0-0', { ep1: tags('role=cache', 'namespace=default'), ep2: db, port: 11211 });
  const shifted0 = { ...r0, name: 'default-ingress-web-1-podSelector-0-0' };
  const shifted1 = { ...r1, name: 'default-ingress-web-2-podSelector-0-0' };
  const d = diffSnapshots(
    snapshot({ policies: { fp: [r0, r1, deny] } }),
    snapshot({ policies: { fp: [inserted, shifted0, shifted1, deny] } }),
  );
  const fp = d.firewallPolicies[0];
  assert.equal(fp.rules.map((c) => c.kind), ['added']);
  assert.equal(
    fp.renamed.map((x) => [x.base, x.head]),
    [
      ['default-ingress-web-0-podSelector-0-0', 'default-ingress-web-1-podSelector-0-0'],
      ['default-ingress-web-1-podSelector-0-0', 'default-ingress-web-2-podSelector-0-0'],
    ],
  );
  assert.equal(fp.moved, []);
});

test('an ipBlock cidr edit pairs the rule through its origin: name and endpoint change together', () => {
  const before = rule('default-egress-web-ipBlock-0-cidr-10.0.0.0/24-0', {
    ep1: db, ep2: ag('10.0.0.0/24'), port: 5978, direction: 'egress', path: ['spec', 'egress', 0, 'to', 0],
  });
  const after = rule('default-egress-web-ipBlock-0-cidr-10.0.0.0/16-0', {
    ep1: db, ep2: ag('10.0.0.0/16'), port: 5978, direction: 'egress', path: ['spec', 'egress', 0, 'to', 0],
  });
  const d = diffSnapshots(
    snapshot({ policies: { fp: [before] }, addressGroups: { '10.0.0.0/24': ['10.0.0.0/24'] } }),
    snapshot({ policies: { fp: [after] }, addressGroups: { '10.0.0.0/16': ['10.0.0.0/16'] } }),
  );
  const [c] = d.firewallPolicies[0].rules;
  assert.is(c.kind, 'changed');
  if (c.kind === 'changed') assert.equal(c.fields, ['name', 'endpoint2']);
  assert.equal(d.addressGroups.added.map((g) => g.name), ['10.0.0.0/16']);
  assert.equal(d.addressGroups.removed.map((g) => g.name), ['10.0.0.0/24']);
});

test('an address group keeps its name and changes a prefix: reported prefix by prefix', () => {
  const s = (prefixes: string[]) =>
    snapshot({ policies: { fp: [rule('x', { ep1: ag('office'), ep2: db })] }, addressGroups: { office: prefixes } });
  const d = diffSnapshots(s(['192.0.2.0/24', '198.51.100.0/24']), s(['192.0.2.0/24', '203.0.113.0/24']));
  assert.equal(d.addressGroups.changed, [{ name: 'office', prefixesAdded: ['203.0.113.0/24'], prefixesRemoved: ['198.51.100.0/24'] }]);
  assert.equal(d.firewallPolicies, []);
});

test('an action change pairs by endpoints', () => {
  const passing = rule('a', { ep1: fe, ep2: db, port: 80 });
  const denying = rule('a2', { ep1: fe, ep2: db, port: 80, action: 'deny' });
  const d = diffSnapshots(snapshot({ policies: { fp: [passing] } }), snapshot({ policies: { fp: [denying] } }));
  const [c] = d.firewallPolicies[0].rules;
  assert.ok(c.kind === 'changed' && c.fields.join() === 'name,action');
});

test('a rule moved in front of another is a move, not a change', () => {
  const d = diffSnapshots(snapshot({ policies: { fp: [r0, r1, deny] } }), snapshot({ policies: { fp: [deny, r0, r1] } }));
  const fp = d.firewallPolicies[0];
  assert.equal(fp.rules, []);
  assert.equal(fp.renamed, []);
  assert.equal(fp.moved, [{ name: deny.name, fromIndex: 2, toIndex: 0 }]);
});

test('a firewall policy added and one removed', () => {
  const d = diffSnapshots(snapshot({ policies: { a: [r0] } }), snapshot({ policies: { b: [r0] } }));
  assert.equal(d.firewallPolicies.map((f) => [f.name, f.status, f.rules.map((c) => c.kind).join()]), [
    ['a', 'removed', 'removed'],
    ['b', 'added', 'added'],
  ]);
  assert.equal(d.policySets[0].firewallPoliciesAdded, ['b']);
  assert.equal(d.policySets[0].firewallPoliciesRemoved, ['a']);
});

test('a policy order change in the application policy set is a move', () => {
  const d = diffSnapshots(
    snapshot({ policies: { a: [r0], b: [r1] }, order: ['a', 'b'] }),
    snapshot({ policies: { a: [r0], b: [r1] }, order: ['b', 'a'] }),
  );
  assert.equal(d.firewallPolicies, []);
  assert.equal(d.policySets.length, 1);
  assert.equal(d.policySets[0].moved.length, 1);
});

test('identical duplicate rules pair first to first', () => {
  const dup1 = rule('d1', { ep1: fe, ep2: db, port: 80 });
  const dup2 = rule('d2', { ep1: fe, ep2: db, port: 80 });
  const m = matchRules(
    [dup1, dup2].map((r, index) => ({ rule: r, sequence: '', index })),
    [dup2, dup1].map((r, index) => ({ rule: r, sequence: '', index })),
  );
  assert.equal(m.pairs.map((p) => [p.base.rule.name, p.head.rule.name]), [['d1', 'd2'], ['d2', 'd1']]);
  assert.equal(m.added, []);
  assert.equal(m.removed, []);
});

test('moves are the fewest that explain the new order', () => {
  const p = (b: number, h: number) => ({ base: { index: b }, head: { index: h } });
  // 0 1 2 3 4 -> 1 2 3 4 0: only the first moved.
  assert.equal(movedPairs([p(1, 0), p(2, 1), p(3, 2), p(4, 3), p(0, 4)]).map((x) => x.base.index), [0]);
  assert.equal(movedPairs([p(0, 0), p(1, 1)]), []);
});

test('unreferenced rules are compared apart', () => {
  const d = diffSnapshots(snapshot({ policies: { fp: [r0] } }), snapshot({ policies: { fp: [r0] }, unreferenced: [r1] }));
  assert.equal(d.firewallPolicies, []);
  assert.equal(d.unreferencedRules?.rules.map((c) => c.kind), ['added']);
});

test.run();
