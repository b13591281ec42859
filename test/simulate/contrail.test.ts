/**
 * The Contrail evaluator on hand-built snapshots: each case is a few rules whose outcome follows
 * from snapshot.md's "How Contrail evaluates the snapshot" and can be checked by hand.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Protocol } from '../../src/model/policy.js';
import type { Action, Direction, Endpoint, FirewallRule, Service, Snapshot } from '../../src/snapshot/model.js';
import { buildInventory } from '../../src/simulate/inventory.js';
import { contrailAllows, docs, namespace, pod, policySetFrom } from './support.js';

const ANY: Endpoint = { any: true };
const tags = (...t: string[]): Endpoint => ({ tags: t });
const ag = (name: string): Endpoint => ({ addressGroup: `default-policy-management:${name}` });
const svc = (protocol: string, start = 0, end = 65535): Service => ({ protocol, dstPorts: { start, end } });
const rule = (name: string, action: Action, service: Service, endpoint1: Endpoint, endpoint2: Endpoint, direction: Direction = '>'): FirewallRule => ({
  name, action, service, endpoint1, endpoint2, direction,
});

/** One APS `k8s` bound to application=k8s holding the given firewall policies (name -> rules) in order. */
function snapshot(policies: [string, FirewallRule[]][], extra: Partial<Snapshot> = {}): Snapshot {
  return {
    mode: 'cn2', cluster: 'k8s', generator: 'test', tags: [], findings: [],
    addressGroups: [],
    rules: policies.flatMap(([, rs]) => rs),
    // Sequences written so that only string order puts them right: "00010.0" after "00002.0".
    policies: policies.map(([name, rs]) => ({ name, rules: rs.map((r, i) => ({ name: r.name, sequence: `${String(i * 2).padStart(5, '0')}.0` })).reverse() })),
    policySets: [{ name: 'k8s', tags: ['application=k8s'], policies: policies.map(([name], i) => ({ name, sequence: `${String(i + 1).padStart(5, '0')}.0` })).reverse() }],
    ...extra,
  };
}

const world = async () =>
  buildInventory(
    await policySetFrom(
      docs(
        namespace('shop', { team: 'blue' }),
        pod('shop', 'web', { app: 'web' }, { ip: '10.244.0.10' }),
        pod('shop', 'db', { app: 'db', 'example.com/tier': 'data' }, { ip: '10.244.0.20' }),
        pod('shop', 'fake', { app: 'fake', team: 'red' }, { ip: '10.244.0.30' }),
        pod('other', 'rogue', { application: 'other' }, { ip: '10.244.0.40' }),
      ),
    ),
  );

const allow = (snap: Snapshot, inv: Awaited<ReturnType<typeof world>>, from: string, to: string, port: number, protocol: Protocol = 'TCP') =>
  contrailAllows(snap, inv, from, to, port, protocol);

test('no firewall policy applies: implicit allow at both ends', async () => {
  const inv = await world();
  const v = allow(snapshot([], { policySets: [] }), inv, 'shop/web', 'shop/db', 80);
  assert.equal(v, { allowed: true, sender: { allowed: true, rule: 'implicit' }, receiver: { allowed: true, rule: 'implicit' } });
});

test('a workload with firewall policies and no matching rule: implicit deny', async () => {
  const inv = await world();
  const snap = snapshot([['k8s-Ingress', []], ['k8s-x', [rule('only-db', 'pass', svc('any'), ANY, tags('app=nothing'))]]]);
  const v = allow(snap, inv, 'shop/web', 'shop/db', 80);
  assert.equal(v, { allowed: false, sender: { allowed: false, rule: 'implicit' }, receiver: { allowed: false, rule: 'implicit' } });
});

test('first match wins, in sequence (string) order across the policy set, and names the rule by fq_name', async () => {
  const inv = await world();
  const snap = snapshot([
    ['k8s-first', [rule('deny-db-80', 'deny', svc('tcp', 80, 80), ANY, tags('app=db')), rule('pass-db', 'pass', svc('any'), ANY, tags('app=db'))]],
    ['k8s-second', [rule('pass-all', 'pass', svc('any'), ANY, ANY)]],
  ]);
  assert.equal(allow(snap, inv, 'shop/web', 'shop/db', 80).receiver, { allowed: false, rule: 'default-policy-management:deny-db-80' });
  assert.equal(allow(snap, inv, 'shop/web', 'shop/db', 81).receiver, { allowed: true, rule: 'default-policy-management:pass-db' });
  assert.equal(allow(snap, inv, 'shop/db', 'shop/web', 80).receiver, { allowed: true, rule: 'default-policy-management:pass-all' });
});

test('one list at both ends: an ingress pass for the receiver wins before the sender\'s egress deny-all', async () => {
  const inv = await world();
  const snap = snapshot([
    ['k8s-shop-allow-db', [rule('ingress-pass', 'pass', svc('tcp', 5432, 5432), tags('app=web'), tags('app=db'))]],
    ['k8s-denyall', [rule('web-egress-deny', 'deny', svc('any'), tags('app=web'), ANY)]],
  ]);
  const v = allow(snap, inv, 'shop/web', 'shop/db', 5432);
  assert.equal(v, { allowed: true, sender: { allowed: true, rule: 'default-policy-management:ingress-pass' }, receiver: { allowed: true, rule: 'default-policy-management:ingress-pass' } });
  assert.is(allow(snap, inv, 'shop/web', 'shop/db', 80).allowed, false);
});

test('tags: the workload must carry all; namespace labels win over pod labels; "/" is __slash__', async () => {
  const inv = await world();
  const snap = snapshot([
    ['k8s-p', [
      rule('db-tier', 'deny', svc('tcp', 1, 1), ANY, tags('app=db', 'example.com__slash__tier=data', 'namespace=shop')),
      rule('red-team', 'deny', svc('tcp', 2, 2), tags('team=red'), ANY),
      rule('blue-team', 'deny', svc('tcp', 3, 3), tags('team=blue', 'app=fake'), ANY),
      rule('rest', 'pass', svc('any'), ANY, ANY),
    ]],
  ]);
  assert.is(allow(snap, inv, 'shop/web', 'shop/db', 1).receiver!.rule, 'default-policy-management:db-tier');
  assert.is(allow(snap, inv, 'shop/fake', 'shop/web', 2).sender!.rule, 'default-policy-management:rest', 'the namespace label team=blue replaced the pod label team=red');
  assert.is(allow(snap, inv, 'shop/fake', 'shop/web', 3).sender!.rule, 'default-policy-management:blue-team');
});

test('address groups match outside addresses and pods by IP', async () => {
  const inv = await world();
  const snap = snapshot(
    [['k8s-p', [rule('from-ag', 'pass', svc('tcp', 80, 80), ag('10.244.0.16/28'), tags('app=db')), rule('deny-db', 'deny', svc('any'), ANY, tags('app=db')), rule('rest', 'pass', svc('any'), ANY, ANY)]]],
    { addressGroups: [{ name: '10.244.0.16/28', prefixes: [{ ip: '10.244.0.16', len: 28 }] }] },
  );
  assert.is(allow(snap, inv, '10.244.0.17', 'shop/db', 80).allowed, true);
  assert.is(allow(snap, inv, '10.244.0.17', 'shop/db', 80).sender, null, 'an outside sender has no end of its own');
  assert.is(allow(snap, inv, '10.244.0.32', 'shop/db', 80).allowed, false);
  assert.is(allow(snap, inv, 'shop/db', 'shop/db', 80).allowed, true, 'db at 10.244.0.20 is inside the group');
  assert.is(allow(snap, inv, 'shop/web', 'shop/db', 80).allowed, false, 'web at 10.244.0.10 is not');
});

test('direction: ">" endpoint_1 initiates, "<" endpoint_2 initiates, "<>" either (ports not swapped)', async () => {
  const inv = await world();
  const make = (d: Direction) => snapshot([['k8s-p', [rule('r', 'pass', svc('tcp', 80, 80), tags('app=web'), tags('app=db'), d), rule('deny', 'deny', svc('any'), ANY, ANY)]]]);
  const both = (d: Direction) => [allow(make(d), inv, 'shop/web', 'shop/db', 80).allowed, allow(make(d), inv, 'shop/db', 'shop/web', 80).allowed];
  assert.equal(both('>'), [true, false]);
  assert.equal(both('<'), [false, true]);
  assert.equal(both('<>'), [true, true]);
  assert.is(allow(make('<>'), inv, 'shop/db', 'shop/web', 81).allowed, false);
});

test('service: protocol any ignores ports; tcp needs the destination port in range; udp is not tcp', async () => {
  const inv = await world();
  const snap = snapshot([['k8s-p', [rule('tcp-range', 'pass', svc('tcp', 8000, 8010), ANY, tags('app=db')), rule('udp-53', 'pass', svc('udp', 53, 53), ANY, tags('app=db')), rule('any-web', 'pass', svc('any', 1, 1), ANY, tags('app=web'))]]]);
  const at = (to: string, port: number, p: Protocol) => allow(snap, inv, 'shop/fake', to, port, p).allowed;
  assert.equal([at('shop/db', 8000, 'TCP'), at('shop/db', 8010, 'TCP'), at('shop/db', 8011, 'TCP'), at('shop/db', 8005, 'UDP'), at('shop/db', 53, 'UDP'), at('shop/web', 4242, 'SCTP')], [true, true, false, false, true, true]);
});

test('each end uses its own list: a pod outside the policy set\'s tags decides by the implicit allow', async () => {
  const inv = await world();
  const snap = snapshot([['k8s-p', [rule('deny-all', 'deny', svc('any'), ANY, ANY)]]]);
  assert.equal(allow(snap, inv, 'other/rogue', 'shop/db', 80), {
    allowed: false,
    sender: { allowed: true, rule: 'implicit' },
    receiver: { allowed: false, rule: 'default-policy-management:deny-all' },
  });
  assert.equal(allow(snap, inv, 'other/rogue', '192.0.2.1', 80), { allowed: true, sender: { allowed: true, rule: 'implicit' }, receiver: null });
});

test.run();
