/**
 * Order changes judged by the simulator: real policies through the front end and the cn2 compiler,
 * then the firewall policies of the application policy set re-sequenced by hand (cn2 orders them
 * by name, so only a hand-made snapshot, or another mode, can move them).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile/index.js';
import { ConnectivityComparer } from '../../src/diff/connectivity.js';
import { buildDiffReport } from '../../src/diff/report.js';
import { readPolicySet } from '../../src/frontend.js';
import { memorySource } from '../../src/load/memory-source.js';
import type { PolicySet } from '../../src/model/policy.js';
import { renderReport } from '../../src/report/index.js';
import { buildInventory } from '../../src/simulate/inventory.js';
import type { Snapshot } from '../../src/snapshot/model.js';
import { deployments } from './build.js';


const FILES = {
  'policies/w.yaml': deployments('db', 'frontend', 'web'),
  // Lets frontend reach db on 6379.
  'policies/a-allow.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a-allow, namespace: default}
spec:
  podSelector: {matchLabels: {role: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {role: frontend}}}]
    ports: [{protocol: TCP, port: 6379}]
`,
  // Its except becomes a deny of the whole pod network (CN2): first match decides between the two.
  'policies/b-except.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b-except, namespace: default}
spec:
  podSelector: {matchLabels: {role: db}}
  ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.244.0.0/16]}}]
    ports: [{protocol: TCP, port: 6379}]
`,
  // Selects other pods: its place in the set changes nothing for db.
  'policies/c-web.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: c-web, namespace: default}
spec:
  podSelector: {matchLabels: {role: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {role: frontend}}}]
    ports: [{protocol: TCP, port: 80}]
`,
};

async function compiled(): Promise<{ policySet: PolicySet; snapshot: Snapshot }> {
  const front = await readPolicySet(memorySource(FILES), 'policies');
  assert.equal(front.diagnostics.filter((d) => d.severity === 'error'), []);
  const out = compile(front.policySet, { mode: 'cn2', cluster: 'k8s', generator: 'test', podCIDR: '10.244.0.0/16', inventoryComplete: false });
  assert.ok(out.snapshot);
  return { policySet: front.policySet, snapshot: out.snapshot! };
}

/** The snapshot with two firewall policies of the set trading sequences. */
function swapped(s: Snapshot, a: string, b: string): Snapshot {
  const set = s.policySets[0];
  const seq = new Map(set.policies.map((r) => [r.name, r.sequence]));
  const policies = set.policies.map((r) => (r.name === a ? { ...r, sequence: seq.get(b)! } : r.name === b ? { ...r, sequence: seq.get(a)! } : r));
  return { ...s, policySets: [{ ...set, policies }] };
}

async function reportFor(head: (s: Snapshot) => Snapshot) {
  const { policySet, snapshot } = await compiled();
  const inventory = buildInventory(policySet, { podCIDR: '10.244.0.0/16' });
  const flows = new ConnectivityComparer({ basePolicySet: policySet, headPolicySet: policySet, inventory });
  return buildDiffReport({
    base: { label: 'base', snapshot, diagnostics: [] },
    head: { label: 'head', snapshot: head(snapshot), diagnostics: [] },
    mode: 'cn2',
    cluster: 'k8s',
    podCIDR: '10.244.0.0/16',
    outputDir: 'rendered',
    baseOutput: null,
    flows,
  });
}

test('a policy order change that lets a deny win: behaviour changes, the flow closes', async () => {
  const report = await reportFor((s) => swapped(s, 'k8s-default-a-allow', 'k8s-default-b-except'));
  assert.equal(report.firewallPolicies, []);
  assert.is(report.policySets.length, 1);
  assert.equal(report.policySets[0].moved.map((m) => m.name), ['k8s-default-b-except']);
  assert.is(report.policySets[0].orderChangesBehaviour, true);
  assert.equal(
    report.connectivity.closed.map((f) => `${f.from.kind === 'pods' ? f.from.group : ''} -> ${f.to.kind === 'pods' ? f.to.group : ''} ${f.ports} ${f.head.rule}`),
    ['frontend -> db tcp:6379 default-ingress-b-except-0-ipBlock-0-10.244.0.0/16-0'],
  );
  assert.equal(report.connectivity.closed[0].kubernetes, { base: true, head: true });
  const md = renderReport(report, { format: 'markdown' });
  assert.match(md, 'Firewall policy order in k8s changed: k8s\\-default\\-b\\-except (place 3 -> 2). Effect: changes which flows pass.');
});

test('a policy order change between policies of different pods: no behaviour change', async () => {
  const report = await reportFor((s) => swapped(s, 'k8s-default-b-except', 'k8s-default-c-web'));
  assert.is(report.policySets[0].orderChangesBehaviour, false);
  assert.equal([report.connectivity.opened, report.connectivity.closed], [[], []]);
  assert.match(renderReport(report, { format: 'markdown' }), 'Effect: no flow changes (first match gives the same verdicts).');
});

test.run();
