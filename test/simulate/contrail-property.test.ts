/**
 * Properties of the Contrail evaluator over random snapshots (fast-check, fixed seed) with several
 * rule lists (pods bound to different policy sets, or to none), tag and address-group endpoints in
 * every direction, and outside addresses:
 * - a row, a column and the decisions of a class pair give, flow by flow, the pair's own mask;
 * - changedEnds names every flow whose verdict differs between two snapshots (the diff evaluates
 *   only those).
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAddress } from '../../src/net/ip.js';
import { ContrailEvaluator } from '../../src/simulate/contrail.js';
import type { FlowEnd, Inventory, InventoryPod } from '../../src/simulate/inventory.js';
import { ProbeSpace } from '../../src/simulate/probe-space.js';
import type { Direction, Endpoint, FirewallRule, Service, Snapshot } from '../../src/snapshot/model.js';

const GROUPS = { wide: ['10.244.0.0', 16], low: ['10.244.0.0', 28], doc: ['192.0.2.0', 30] } as const;
const ADDRESSES = ['10.244.0.1', '10.244.0.5', '10.244.0.40', '192.0.2.1', '203.0.113.9'];
const space = new ProbeSpace([80, 443, 8080].flatMap((port) => [{ protocol: 'TCP' as const, port }, { protocol: 'UDP' as const, port }]));

const tagArb = fc.constantFrom('app=a', 'app=b', 'tier=x', 'tier=y', 'namespace=ns1', 'namespace=ns2');
const endpointArb: fc.Arbitrary<Endpoint> = fc.oneof(
  fc.constant({ any: true as const }),
  fc.uniqueArray(tagArb, { minLength: 1, maxLength: 3 }).map((tags) => ({ tags })),
  fc.constantFrom(...Object.keys(GROUPS)).map((g) => ({ addressGroup: `default-policy-management:${g}` })),
);
const serviceArb: fc.Arbitrary<Service> = fc.constantFrom(
  { protocol: 'any', dstPorts: { start: 0, end: 65535 } },
  { protocol: 'tcp', dstPorts: { start: 80, end: 443 } },
  { protocol: 'udp', dstPorts: { start: 8080, end: 8080 } },
);
const ruleArb = fc.record({
  action: fc.constantFrom('pass' as const, 'deny' as const),
  service: serviceArb,
  endpoint1: endpointArb,
  endpoint2: endpointArb,
  direction: fc.constantFrom<Direction>('>', '<', '<>'),
});
/** Firewall policies of random rules, in policy sets bound to the cluster's tag or to a pod tag. */
const snapshotArb: fc.Arbitrary<Snapshot> = fc
  .record({
    policies: fc.array(fc.array(ruleArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }),
    extraSet: fc.option(fc.constantFrom('app=a', 'tier=y'), { nil: undefined }),
  })
  .map(({ policies, extraSet }) => {
    const rules: FirewallRule[] = policies.flatMap((rs, p) => rs.map((r, i) => ({ ...r, name: `p${p}-r${i}` })));
    const fps = policies.map((rs, p) => ({ name: `p${p}`, rules: rs.map((_, i) => ({ name: `p${p}-r${i}`, sequence: `${String(i).padStart(5, '0')}.0` })) }));
    const sequenced = (names: string[]) => names.map((name, i) => ({ name, sequence: `${String(i).padStart(5, '0')}.0` }));
    return {
      mode: 'cn2', cluster: 'k8s', generator: 'test', tags: [], findings: [],
      addressGroups: Object.entries(GROUPS).map(([name, [ip, len]]) => ({ name, prefixes: [{ ip, len }] })),
      rules,
      policies: fps,
      policySets: [
        { name: 'k8s', tags: ['application=k8s'], policies: sequenced(fps.slice(0, 2).map((f) => f.name)) },
        ...(extraSet ? [{ name: 'extra', tags: [extraSet], policies: sequenced(fps.slice(1).map((f) => f.name)) }] : []),
      ],
    } satisfies Snapshot;
  });

const podArb = fc.record({
  namespace: fc.constantFrom('ns1', 'ns2'),
  app: fc.constantFrom('a', 'b', undefined),
  tier: fc.constantFrom('x', 'y', undefined),
  // A pod label `application` unbinds the cluster's policy set.
  unbound: fc.boolean(),
  ip: fc.constantFrom('10.244.0.3', '10.244.0.9', '10.244.0.20', '10.244.1.1'),
});
const inventoryArb: fc.Arbitrary<Inventory> = fc.array(podArb, { minLength: 1, maxLength: 6 }).map((specs) => ({
  namespaces: ['ns1', 'ns2'].map((name) => ({ name, labels: [['kubernetes.io/metadata.name', name]] as [string, string][] })),
  pods: specs.map((p, index): InventoryPod => {
    const labels: [string, string][] = [];
    if (p.app) labels.push(['app', p.app]);
    if (p.unbound) labels.push(['application', 'other']);
    if (p.tier) labels.push(['tier', p.tier]);
    return { index, namespace: p.namespace, name: `pod${index}`, labels, ports: [], ip: parseAddress(p.ip)!, ipSource: 'status' };
  }),
  synthesized: false,
  podCIDR: '10.244.0.0/16',
}));

const endsOf = (inv: Inventory): FlowEnd[] => [...inv.pods.map((pod) => ({ pod })), ...ADDRESSES.map((a) => ({ address: parseAddress(a)! }))];
const isPod = (e: FlowEnd) => 'pod' in e;

test('rows, columns and decisions give each flow its pair mask, with several rule lists', () => {
  fc.assert(
    fc.property(snapshotArb, inventoryArb, (snap, inv) => {
      const ev = new ContrailEvaluator(snap, inv, space);
      const ends = endsOf(inv);
      const ids = [...new Set(ends.map((e) => ev.classify(e)))];
      const W = space.words;
      for (const s of ids) {
        const row = ev.allowedRow(s).slice();
        for (const d of ids) {
          const pair = Array.from(ev.allowedMask(s, d));
          assert.equal(Array.from(row.subarray(d * W, d * W + W)), pair, `row ${s} -> ${d}`);
          assert.equal(Array.from(ev.allowedColumn(d).subarray(s * W, s * W + W)), pair, `column ${s} -> ${d}`);
          const { sender, receiver } = ev.decide(s, d);
          const both = Array.from(space.full(), (m, w) => m & (sender?.allowed[w] ?? m) & (receiver?.allowed[w] ?? m));
          assert.equal(both, pair, `decisions ${s} -> ${d}`);
        }
      }
    }),
    { seed: 42, numRuns: 150 },
  );
});

test('changedEnds names every flow whose verdict differs between two snapshots', () => {
  fc.assert(
    fc.property(snapshotArb, snapshotArb, inventoryArb, (a, b, inv) => {
      const ea = new ContrailEvaluator(a, inv, space);
      const eb = new ContrailEvaluator(b, inv, space);
      const ends = endsOf(inv);
      const classes = ends.map((e) => [ea.classify(e), eb.classify(e)] as const);
      const changed = ea.changedEnds(eb, classes);
      const pairs = new Set(changed.pairs.map(([s, d]) => `${s}/${d}`));
      classes.forEach(([sa, sb], s) => {
        classes.forEach(([da, db], d) => {
          if (!isPod(ends[s]!) && !isPod(ends[d]!)) return;
          const before = Array.from(ea.allowedMask(sa, da));
          const after = Array.from(eb.allowedMask(sb, db));
          if (before.join() === after.join()) return;
          assert.ok(changed.senders[s] || changed.receivers[d] || pairs.has(`${s}/${d}`), `flow ${s} -> ${d} changed but is not named`);
        });
      });
    }),
    { seed: 43, numRuns: 200 },
  );
});

test.run();
