/**
 * Properties over random repositories (fast-check, fixed seed):
 * - where CN2 is faithful (ingress-only policies, matchLabels selectors, numeric ports, namespace
 *   labels on keys no pod uses), the two evaluators agree on every probe of mode cn2's snapshot;
 * - verify's class-and-mask evaluation gives, probe by probe, the answers of the per-flow path
 *   (`explain`), on richer random policies (expressions, ipBlocks, egress, named ports);
 * - on those, the Kubernetes evaluator's whole rows and columns agree with its pair masks.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cmp } from '../../src/diagnostics.js';
import type { LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule, PolicySet, Workload } from '../../src/model/policy.js';
import { buildInventory } from '../../src/simulate/inventory.js';
import { enumerateProbes, evaluateProbes, explain, listProbes, verify } from '../../src/simulate/verify.js';
import { endName } from '../../src/simulate/inventory.js';
import { KubernetesEvaluator } from '../../src/simulate/kubernetes.js';
import { fakeOrigin } from '../support/origin.js';
import { cn2 } from './support.js';

const origin = fakeOrigin();
const NAMESPACES = ['ns1', 'ns2', 'ns3'];

const labelsArb = (keys: string[], values: string[], max: number) =>
  fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: max }).map((d) => Object.entries(d).sort((a, b) => cmp(a[0], b[0])));

const selector = (labels: [string, string][], exprs: LabelSelector['matchExpressions'] = []): LabelSelector => ({ matchLabels: labels, matchExpressions: exprs, origin });

const podLabels = labelsArb(['app', 'tier'], ['a', 'b', 'c'], 2);
const nsLabels = labelsArb(['team'], ['x', 'y'], 1);

const portArb: fc.Arbitrary<Omit<PolicyPort, 'index'>> = fc.record({
  protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
  port: fc.constantFrom(80, 443, 8080),
  origin: fc.constant(origin),
});

/** Peers CN2 translates faithfully: podSelector (labels), namespaceSelector (labels), or both. */
const faithfulPeer = fc.oneof(
  podLabels.map((l) => ({ podSelector: selector(l) })),
  nsLabels.filter((l) => l.length > 0).map((l) => ({ namespaceSelector: selector(l) })),
  fc.tuple(nsLabels.filter((l) => l.length > 0), podLabels.filter((l) => l.length > 0)).map(([n, p]) => ({ namespaceSelector: selector(n), podSelector: selector(p) })),
);

const indexed = <T>(xs: T[]): (T & { index: number; origin: typeof origin })[] => xs.map((x, index) => ({ ...x, index, origin }));

const ruleArb = (peer: fc.Arbitrary<Omit<PolicyPeer, 'index' | 'origin'>>, port: fc.Arbitrary<Omit<PolicyPort, 'index'>>) =>
  fc.record({ peers: fc.array(peer, { maxLength: 2 }), ports: fc.array(port, { maxLength: 2 }) }).map(
    (r) => ({ peers: indexed(r.peers), ports: indexed(r.ports) }) as Omit<PolicyRule, 'index' | 'origin'>,
  );

interface Repo {
  namespaces: [string, [string, string][]][];
  pods: { ns: string; labels: [string, string][]; ports?: Workload['ports']; ip?: string }[];
  policies: { ns: string; selector: LabelSelector; ingress: Omit<PolicyRule, 'index' | 'origin'>[]; egress: Omit<PolicyRule, 'index' | 'origin'>[] | null }[];
}

function policySet(repo: Repo): PolicySet {
  const policies: NetworkPolicy[] = repo.policies.map((p, i) => ({
    name: `p${i}`,
    namespace: p.ns,
    podSelector: p.selector,
    policyTypes: p.egress ? ['Ingress', 'Egress'] : ['Ingress'],
    ingress: indexed(p.ingress),
    egress: indexed(p.egress ?? []),
    origin,
  }));
  const workloads: Workload[] = repo.pods.map((p, i) => ({
    kind: 'Pod', name: `pod${i}`, namespace: p.ns, labels: p.labels, ports: p.ports ?? [], ...(p.ip ? { podIP: p.ip } : {}), origin,
  }));
  const byKey = <T extends { namespace: string; name: string }>(xs: T[]) => xs.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
  return {
    policies: byKey(policies),
    namespaces: repo.namespaces.map(([name, labels]) => ({ name, labels, origin })).sort((a, b) => cmp(a.name, b.name)),
    workloads: byKey(workloads),
  };
}

const faithfulRepo: fc.Arbitrary<Repo> = fc.record({
  namespaces: fc.tuple(...NAMESPACES.map((n) => nsLabels.map((l) => [n, l] as [string, [string, string][]]))),
  pods: fc.array(fc.record({ ns: fc.constantFrom(...NAMESPACES), labels: podLabels }), { minLength: 1, maxLength: 7 }),
  policies: fc.array(
    fc.record({ ns: fc.constantFrom(...NAMESPACES), selector: podLabels.map((l) => selector(l)), ingress: fc.array(ruleArb(faithfulPeer, portArb), { maxLength: 2 }), egress: fc.constant(null) }),
    { minLength: 1, maxLength: 4 },
  ),
});

test('mode cn2: ingress-only policies with matchLabels and numeric ports: the evaluators agree on every probe', () => {
  fc.assert(
    fc.property(faithfulRepo, (repo) => {
      const ps = policySet(repo);
      const r = verify(ps, cn2(ps), buildInventory(ps));
      if (r.divergent !== 0) throw new Error(JSON.stringify(r.groups.map((g) => [g.cause, g.example]), null, 1));
      return r.probes > 0 || repo.pods.length < 2;
    }),
    { seed: 20240611, numRuns: 300 },
  );
});

// Richer inputs for the consistency property: expressions, ipBlocks (pods inside them), egress, named ports.
const exprArb = fc.record({
  key: fc.constantFrom('app', 'tier'),
  operator: fc.constantFrom('In' as const, 'NotIn' as const, 'Exists' as const, 'DoesNotExist' as const),
  values: fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 2 }),
  origin: fc.constant(origin),
}).map((e) => (e.operator === 'Exists' || e.operator === 'DoesNotExist' ? { ...e, values: [] } : e));
const richSelector = fc.tuple(podLabels, fc.array(exprArb, { maxLength: 1 })).map(([l, e]) => selector(l, e));
const richPeer = fc.oneof(
  richSelector.map((s) => ({ podSelector: s })),
  fc.tuple(nsLabels, richSelector).map(([n, p]) => ({ namespaceSelector: selector(n), podSelector: p })),
  nsLabels.map((n) => ({ namespaceSelector: selector(n) })),
  fc.constantFrom(
    { ipBlock: { cidr: '10.244.0.0/24', except: ['10.244.0.0/28'], origin } },
    { ipBlock: { cidr: '192.0.2.0/30', except: [], origin } },
  ),
);
const richPort: fc.Arbitrary<Omit<PolicyPort, 'index'>> = fc.oneof(
  portArb,
  fc.constant({ protocol: 'TCP' as const, port: 'web', origin }),
  fc.constant({ protocol: 'TCP' as const, port: 8000, endPort: 8080, origin }),
);
const richRepo: fc.Arbitrary<Repo> = fc.record({
  namespaces: fc.tuple(...NAMESPACES.map((n) => nsLabels.map((l) => [n, l] as [string, [string, string][]]))),
  pods: fc.array(
    fc.record({
      ns: fc.constantFrom(...NAMESPACES),
      labels: podLabels,
      ports: fc.constantFrom([], [{ name: 'web', containerPort: 8080, protocol: 'TCP' as const }], [{ name: 'web', containerPort: 80, protocol: 'TCP' as const }]),
      ip: fc.constantFrom(undefined, '10.244.0.5', '10.244.0.77'),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  policies: fc.array(
    fc.record({
      ns: fc.constantFrom(...NAMESPACES),
      selector: richSelector,
      ingress: fc.array(ruleArb(richPeer, richPort), { maxLength: 2 }),
      egress: fc.option(fc.array(ruleArb(richPeer, richPort), { maxLength: 2 }), { nil: null }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

test('verify\'s class-and-mask evaluation equals the per-flow answers of explain, probe by probe', () => {
  fc.assert(
    fc.property(richRepo, (repo) => {
      const ps = policySet(repo);
      const snap = cn2(ps);
      const inv = buildInventory(ps);
      const probes = [...listProbes(enumerateProbes(ps, inv))];
      const bulk = evaluateProbes(ps, snap, inv, probes);
      const each = explain(ps, snap, inv, probes.map((p) => ({ from: endName(p.from), to: endName(p.to), port: p.point.port, protocol: p.point.protocol })));
      const r = verify(ps, snap, inv);
      let divergent = 0;
      probes.forEach((_, i) => {
        assert.is(bulk[i]!.kubernetes, each[i]!.kubernetes.allowed);
        assert.is(bulk[i]!.contrail, each[i]!.contrail.allowed);
        if (bulk[i]!.kubernetes !== bulk[i]!.contrail) divergent++;
      });
      assert.is(r.divergent, divergent);
      assert.is(r.probes, probes.length);
      assert.is(r.groups.reduce((n, g) => n + g.count, 0), divergent);
    }),
    { seed: 7, numRuns: 100 },
  );
});

test('the Kubernetes evaluator\'s rows and columns give, pair by pair, its allowedMask', () => {
  fc.assert(
    fc.property(richRepo, (repo) => {
      const ps = policySet(repo);
      const inv = buildInventory(ps);
      const { space, pods, outside } = enumerateProbes(ps, inv);
      const k = new KubernetesEvaluator(ps, inv, space);
      const ends = [...pods.map((pod) => ({ pod })), ...outside.map((address) => ({ address }))];
      // Some lines are taken before every end has its class: what they found must take in the classes made after.
      for (const a of ends.slice(0, ends.length >> 1).map((e) => k.classify(e))) {
        k.allowedRow(a);
        k.allowedColumn(a);
      }
      const classes = [...new Set(ends.map((e) => k.classify(e)))];
      const W = space.words;
      for (const a of classes) {
        const row = k.allowedRow(a).slice();
        const column = k.allowedColumn(a).slice();
        for (const b of classes) {
          assert.equal([...row.slice(b * W, b * W + W)], [...k.allowedMask(a, b)], `row ${a}, class ${b}`);
          assert.equal([...column.slice(b * W, b * W + W)], [...k.allowedMask(b, a)], `column ${a}, class ${b}`);
        }
      }
    }),
    { seed: 11, numRuns: 100 },
  );
});

test.run();
