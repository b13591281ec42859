/**
 * The Kubernetes network-policy conformance cases (test/e2e/network/netpol/network_policy.go in
 * kubernetes/kubernetes: namespaces x, y, z, pods a, b, c labelled pod=<name>, serving ports 80
 * and 81 on TCP, UDP and SCTP under the names serve-<port>-<protocol>), each as a repository:
 * mode exact must compile it, agree with the Kubernetes evaluator on every probe, give the upstream
 * verdicts the case checks, and write no more rules than mode cn2.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostic } from '../../../src/diagnostics.js';
import { contrailAllows, lower, policySetOf, verifyExact } from './support.js';

const NAMESPACES = ['x', 'y', 'z'];
const PODS = ['a', 'b', 'c'];
const PORTS = [80, 81].flatMap((port) => ['TCP', 'UDP', 'SCTP'].map((protocol) => ({ name: `serve-${port}-${protocol.toLowerCase()}`, containerPort: port, protocol })));

interface Case {
  readonly name: string;
  readonly policies: string;
  /** `from -> to protocol port: allow|deny`, as the upstream reachability table has it. */
  readonly expect: readonly string[];
  readonly inventoryComplete?: boolean;
  /** Extra labels: `x/a` -> labels (pods), `y` -> labels (namespaces), as the case's final state. */
  readonly labels?: Record<string, Record<string, string>>;
}

/** The model: x, y, z with pods a, b, c; addresses 10.244.<namespace>.<pod> (the CIDR cases need them). */
function model(labels: Record<string, Record<string, string>> = {}): string {
  const docs: string[] = [];
  NAMESPACES.forEach((ns, i) => {
    docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: labels[ns] ?? {} } }));
    PODS.forEach((pod, j) => {
      docs.push(
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: pod, namespace: ns, labels: { pod, ...(labels[`${ns}/${pod}`] ?? {}) } },
          spec: { containers: [{ name: 'c', image: 'agnhost', ports: PORTS }] },
          status: { podIP: ipOf(i, j) },
        }),
      );
    });
  });
  return docs.join('\n---\n');
}

const ipOf = (ns: number, pod: number): string => `10.244.${ns + 1}.${pod + 10}`;
const IP = (ref: string): string => ipOf(NAMESPACES.indexOf(ref[0]!), PODS.indexOf(ref[2]!));

/** A NetworkPolicy from its spec (flow-style YAML). */
const np = (ns: string, name: string, spec: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: '${ns}'}\nspec: ${spec}`;

const NS = 'kubernetes.io/metadata.name';

const CASES: Case[] = [
  {
    name: "should support a 'default-deny-ingress' policy",
    policies: np('x', 'deny-ingress', '{podSelector: {}, policyTypes: [Ingress]}'),
    expect: ['x/b -> x/a TCP 80: deny', 'y/a -> x/a TCP 80: deny', 'x/a -> y/a TCP 80: allow', 'y/a -> y/b TCP 80: allow'],
  },
  {
    name: "should support a 'default-deny-all' policy",
    policies: np('x', 'deny-all', '{podSelector: {}, policyTypes: [Ingress, Egress]}'),
    expect: ['x/a -> x/b TCP 80: deny', 'x/a -> y/a TCP 80: deny', 'y/a -> x/a TCP 80: deny', 'y/a -> y/b TCP 80: allow'],
  },
  {
    name: 'should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    policies: np('x', 'x-a-allows-x-b', '{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]}'),
    expect: ['x/b -> x/a TCP 80: allow', 'x/c -> x/a TCP 80: deny', 'y/b -> x/a TCP 80: deny'],
  },
  {
    name: 'should enforce policy to allow ingress traffic for a target',
    policies: [
      np('x', 'deny-all', '{podSelector: {}, policyTypes: [Ingress]}'),
      np('x', 'allow-all-to-a', '{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{podSelector: {}, namespaceSelector: {}}]}]}'),
    ].join('\n---\n'),
    expect: ['y/a -> x/a TCP 80: allow', 'x/b -> x/a TCP 80: allow', 'x/a -> x/b TCP 80: deny', 'y/a -> x/b TCP 80: deny'],
  },
  {
    name: 'should enforce policy to allow ingress traffic from pods in all namespaces',
    policies: np('x', 'allow-from-another-ns', '{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {}}]}]}'),
    expect: ['z/a -> x/a TCP 80: allow', 'x/b -> x/a TCP 80: allow'],
  },
  {
    name: 'should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    policies: np('x', 'allow-client-a-via-ns-selector', `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: 'y'}}}]}]}`),
    expect: ['y/c -> x/a TCP 80: allow', 'x/b -> x/a TCP 80: deny', 'z/a -> x/a TCP 80: deny'],
  },
  {
    name: 'should enforce policy based on PodSelector with MatchExpressions',
    policies: np('x', 'x-a-allows-x-b', '{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{podSelector: {matchExpressions: [{key: pod, operator: In, values: [b]}]}}]}]}'),
    expect: ['x/b -> x/a TCP 80: allow', 'y/b -> x/a TCP 80: deny', 'x/c -> x/a TCP 80: deny'],
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions',
    policies: np('x', 'allow-ns-y-match-selector', `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: ${NS}, operator: In, values: ['y']}]}}]}]}`),
    expect: ['y/b -> x/a TCP 80: allow', 'x/b -> x/a TCP 80: deny', 'z/a -> x/a TCP 80: deny'],
  },
  {
    name: 'should enforce policy based on PodSelector or NamespaceSelector',
    inventoryComplete: true,
    policies: np(
      'x',
      'allow-ns-y-match-selector',
      `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: ${NS}, operator: NotIn, values: ['x']}]}}, {podSelector: {matchLabels: {pod: b}}}]}]}`,
    ),
    expect: ['x/b -> x/a TCP 80: allow', 'x/c -> x/a TCP 80: deny', 'y/a -> x/a TCP 80: allow', 'z/c -> x/a TCP 80: allow'],
  },
  {
    name: 'should enforce policy based on PodSelector and NamespaceSelector',
    inventoryComplete: true,
    policies: np(
      'x',
      'allow-ns-y-podselector-and-nsselector',
      `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: ${NS}, operator: NotIn, values: ['x']}]}, podSelector: {matchLabels: {pod: b}}}]}]}`,
    ),
    expect: ['y/b -> x/a TCP 80: allow', 'z/b -> x/a TCP 80: allow', 'x/b -> x/a TCP 80: deny', 'y/a -> x/a TCP 80: deny'],
  },
  {
    name: 'should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
    inventoryComplete: true,
    policies: np(
      'x',
      'allow-ns-y-z-pod-b-c',
      `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: ${NS}, operator: NotIn, values: ['x']}]}, podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}}]}]}`,
    ),
    expect: ['y/b -> x/a TCP 80: allow', 'z/c -> x/a TCP 80: allow', 'y/a -> x/a TCP 80: deny', 'x/b -> x/a TCP 80: deny'],
  },
  {
    name: 'should enforce policy based on any PodSelectors',
    policies: np('x', 'allow-ns-x-pod-b-c', '{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}, {podSelector: {matchLabels: {pod: c}}}]}]}'),
    expect: ['x/b -> x/a TCP 80: allow', 'x/c -> x/a TCP 80: allow', 'y/b -> x/a TCP 80: deny'],
  },
  {
    name: 'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    policies: np('x', 'allow-ns-y-pod-a-via-namespace-pod-selector', `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: 'y'}}, podSelector: {matchLabels: {pod: a}}}]}]}`),
    expect: ['y/a -> x/a TCP 80: allow', 'y/b -> x/a TCP 80: deny', 'z/a -> x/a TCP 80: deny', 'x/b -> x/a TCP 80: deny'],
  },
  {
    name: 'should enforce policy based on Ports',
    policies: np('x', 'allow-client-a-via-ns-selector', `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: 'y'}}}], ports: [{port: 81, protocol: TCP}]}]}`),
    expect: ['y/a -> x/a TCP 81: allow', 'y/a -> x/a TCP 80: deny', 'x/b -> x/a TCP 81: deny', 'z/a -> x/a TCP 81: deny'],
  },
  {
    name: 'should enforce multiple, stacked policies with overlapping podSelectors',
    policies: [
      np('x', 'allow-client-a-via-ns-selector', `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: 'y'}}}], ports: [{port: 81, protocol: TCP}]}]}`),
      np('x', 'allow-client-a-via-ns-selector-80', `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: 'y'}}}], ports: [{port: 80, protocol: TCP}]}]}`),
    ].join('\n---\n'),
    expect: ['y/a -> x/a TCP 80: allow', 'y/b -> x/a TCP 81: allow', 'z/a -> x/a TCP 80: deny', 'x/b -> x/a TCP 81: deny'],
  },
  {
    name: 'should support allow-all policy',
    policies: np('x', 'allow-all', '{podSelector: {}, ingress: [{}]}'),
    expect: ['y/a -> x/a TCP 80: allow', 'x/b -> x/a TCP 81: allow'],
  },
  {
    name: 'should allow ingress access on one named port',
    policies: np('x', 'allow-all', '{podSelector: {}, ingress: [{ports: [{port: serve-81-tcp}]}]}'),
    expect: ['y/a -> x/a TCP 81: allow', 'x/b -> x/a TCP 81: allow', 'y/a -> x/a TCP 80: deny', 'x/a -> x/b TCP 80: deny'],
  },
  {
    name: 'should allow ingress access from namespace on one named port',
    policies: np('x', 'allow-client-a-via-ns-selector-80', `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: 'y'}}}], ports: [{port: serve-80-tcp, protocol: TCP}]}]}`),
    expect: ['y/a -> x/a TCP 80: allow', 'y/a -> x/a TCP 81: deny', 'z/a -> x/a TCP 80: deny', 'x/b -> x/a TCP 80: deny'],
  },
  {
    name: 'should allow egress access on one named port',
    policies: np('x', 'allow-egress', '{podSelector: {}, policyTypes: [Egress], egress: [{ports: [{port: serve-80-tcp}]}]}'),
    expect: ['x/a -> y/a TCP 80: allow', 'x/a -> y/a TCP 81: deny', 'x/a -> x/b TCP 81: deny', 'y/a -> x/a TCP 81: allow'],
  },
  {
    name: 'should deny ingress from pods on other namespaces',
    policies: np('x', 'deny-empty-policy', '{podSelector: {}, ingress: [{from: [{podSelector: {}}]}]}'),
    expect: ['x/b -> x/a TCP 80: allow', 'y/a -> x/a TCP 80: deny', 'z/b -> x/c TCP 80: deny'],
  },
  {
    name: 'should deny ingress access to updated pod',
    labels: { 'x/a': { target: 'isolated' } },
    policies: np('x', 'deny-ingress-via-label-selector', '{podSelector: {matchLabels: {target: isolated}}, policyTypes: [Ingress]}'),
    expect: ['y/a -> x/a TCP 80: deny', 'x/b -> x/a TCP 80: deny', 'y/a -> x/b TCP 80: allow'],
  },
  {
    name: 'should deny egress from pods based on PodSelector',
    policies: np('x', 'deny-egress-pod-a', '{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress]}'),
    expect: ['x/a -> x/b TCP 80: deny', 'x/a -> y/a TCP 80: deny', 'x/b -> x/a TCP 80: allow'],
  },
  {
    name: 'should deny egress from all pods in a namespace',
    policies: np('x', 'deny-egress-ns-x', '{podSelector: {}, policyTypes: [Egress]}'),
    expect: ['x/a -> x/b TCP 80: deny', 'x/b -> y/a TCP 80: deny', 'y/a -> x/a TCP 80: allow'],
  },
  {
    name: 'should work with Ingress, Egress specified together',
    policies: np('x', 'allow-client-a-via-pod-selector', '{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress, Ingress], ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}], egress: [{ports: [{port: 80}]}]}'),
    expect: ['x/b -> x/a TCP 80: allow', 'x/c -> x/a TCP 80: deny', 'x/a -> y/a TCP 80: allow', 'x/a -> y/a TCP 81: deny', 'x/b -> x/a TCP 81: allow'],
  },
  {
    name: 'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
    policies: [
      np('x', 'allow-to-ns-y-pod-a', `{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {${NS}: 'y'}}, podSelector: {matchLabels: {pod: a}}}]}]}`),
      np('y', 'allow-from-xa-on-ya-match-selector', `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: 'x'}}, podSelector: {matchLabels: {pod: a}}}]}]}`),
      np('y', 'allow-from-xa-on-yb-match-selector', `{podSelector: {matchLabels: {pod: b}}, ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: 'x'}}, podSelector: {matchLabels: {pod: a}}}]}]}`),
    ].join('\n---\n'),
    expect: ['x/a -> y/a TCP 80: allow', 'x/a -> y/b TCP 80: deny', 'x/b -> y/a TCP 80: deny', 'x/a -> z/a TCP 80: deny'],
  },
  {
    name: 'should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    policies: np('x', 'allow-to-ns-y-pod-a', `{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {${NS}: 'y'}}, podSelector: {matchLabels: {pod: a}}}]}]}`),
    expect: ['x/a -> y/a TCP 80: allow', 'x/a -> y/b TCP 80: deny', 'x/a -> x/b TCP 80: deny'],
  },
  {
    name: 'should enforce ingress policy allowing any port traffic to a server on a specific protocol',
    policies: np('x', 'allow-ingress-by-proto', '{podSelector: {matchLabels: {pod: a}}, ingress: [{ports: [{protocol: TCP}]}]}'),
    expect: ['y/a -> x/a TCP 80: allow', 'y/a -> x/a UDP 80: deny'],
  },
  {
    name: 'should enforce multiple ingress policies with ingress allow-all policy taking precedence',
    policies: [np('x', 'allow-ingress-port-80', '{podSelector: {}, ingress: [{ports: [{port: 80}]}]}'), np('x', 'allow-ingress', '{podSelector: {}, ingress: [{}]}')].join('\n---\n'),
    expect: ['y/a -> x/a TCP 81: allow', 'y/a -> x/a TCP 80: allow'],
  },
  {
    name: 'should enforce multiple egress policies with egress allow-all policy taking precedence',
    policies: [
      np('x', 'allow-egress-port-80', '{podSelector: {}, policyTypes: [Egress], egress: [{ports: [{port: 80}]}]}'),
      np('x', 'allow-egress', '{podSelector: {}, policyTypes: [Egress], egress: [{}]}'),
    ].join('\n---\n'),
    expect: ['x/a -> y/a TCP 81: allow', 'x/a -> y/a TCP 80: allow'],
  },
  {
    name: 'should allow egress access to server in CIDR block',
    policies: np('x', 'allow-client-a-via-cidr-egress-rule', `{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: ${IP('y/b')}/32}}]}]}`),
    expect: ['x/a -> y/b TCP 80: allow', 'x/a -> y/a TCP 80: deny', 'x/b -> y/a TCP 80: allow'],
  },
  {
    name: 'should enforce except clause while egress access to server in CIDR block',
    policies: np('x', 'allow-client-a-via-cidr-egress-rule', `{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 0.0.0.0/4, except: [${IP('x/b')}/32]}}]}]}`),
    expect: ['x/a -> x/b TCP 80: deny', 'x/a -> x/c TCP 80: allow', 'x/a -> y/b TCP 80: allow'],
  },
  {
    name: 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed (after the update)',
    policies: np('x', 'allow-client-a-via-cidr-egress-rule', `{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: ${IP('x/b')}/32}}]}]}`),
    expect: ['x/a -> x/b TCP 80: allow', 'x/a -> x/c TCP 80: deny'],
  },
  {
    name: 'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector',
    policies: [
      np('x', 'allow-egress-for-target', '{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{}]}'),
      np('x', 'deny-ingress-via-label-selector', '{podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress]}'),
    ].join('\n---\n'),
    expect: ['x/a -> x/b TCP 80: allow', 'x/b -> x/a TCP 80: deny'],
  },
  {
    name: "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
    policies: [
      np('x', 'deny-ingress', '{podSelector: {}, policyTypes: [Ingress]}'),
      np('x', 'allow-only-sctp-ingress-on-port-81', '{podSelector: {matchLabels: {pod: a}}, ingress: [{ports: [{port: 81, protocol: SCTP}]}]}'),
    ].join('\n---\n'),
    expect: ['y/a -> x/a TCP 81: deny', 'y/a -> x/a SCTP 81: allow', 'y/a -> x/b SCTP 81: deny'],
  },
  {
    name: "should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
    policies: np('x', 'allow-only-sctp-ingress-on-port-80', '{podSelector: {matchLabels: {pod: a}}, ingress: [{ports: [{port: 80, protocol: SCTP}]}]}'),
    expect: ['y/a -> x/a TCP 81: deny', 'y/a -> x/a SCTP 80: allow'],
  },
  {
    name: 'should not allow access by TCP when a policy specifies only UDP',
    policies: np('x', 'allow-only-udp-ingress-on-port-81', '{podSelector: {matchLabels: {pod: a}}, ingress: [{ports: [{port: 81, protocol: UDP}]}]}'),
    expect: ['y/a -> x/a TCP 81: deny', 'y/a -> x/a UDP 81: allow'],
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions using default ns label',
    inventoryComplete: true,
    policies: np('x', 'allow-ns-y-match-selector-for-immutable-ns-label', `{podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchExpressions: [{key: ${NS}, operator: NotIn, values: ['y']}]}}]}]}`),
    expect: ['x/a -> y/a TCP 80: deny', 'x/a -> z/a TCP 80: allow', 'x/a -> x/b TCP 80: allow'],
  },
  {
    name: 'should allow ingress access from updated namespace',
    labels: { y: { ns2: 'updated' } },
    policies: np('x', 'allow-client-a-via-ns-selector', '{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchLabels: {ns2: updated}}}]}]}'),
    expect: ['y/a -> x/a TCP 80: allow', 'z/a -> x/a TCP 80: deny'],
  },
  {
    name: 'should allow ingress access from updated pod',
    labels: { 'x/b': { pod2: 'updated' } },
    policies: np('x', 'allow-client-a-via-pod-selector', '{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{podSelector: {matchLabels: {pod: b, pod2: updated}}}]}]}'),
    expect: ['x/b -> x/a TCP 80: allow', 'x/c -> x/a TCP 80: deny'],
  },
  {
    name: 'UDP: should enforce policy based on Ports',
    policies: np('x', 'allow-ingress-on-port-81-ns-x', `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: 'y'}}}], ports: [{port: 81, protocol: UDP}]}]}`),
    expect: ['y/a -> x/a UDP 81: allow', 'z/a -> x/a UDP 81: deny', 'y/a -> x/a TCP 81: deny'],
  },
  {
    name: 'SCTP: should enforce policy based on Ports',
    policies: np('x', 'allow-ingress-on-port-81-ns-x', `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: 'y'}}}], ports: [{port: 81, protocol: SCTP}]}]}`),
    expect: ['y/a -> x/a SCTP 81: allow', 'x/b -> x/a SCTP 81: deny'],
  },
  {
    name: 'should support a port range (endPort)',
    policies: np('x', 'allow-range', `{podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchLabels: {${NS}: 'y'}}}], ports: [{port: 80, endPort: 81}]}]}`),
    expect: ['y/a -> x/a TCP 80: allow', 'y/a -> x/a TCP 81: allow', 'z/a -> x/a TCP 80: deny'],
  },
];

const totals = { cn2: 0, exact: 0 };

for (const c of CASES) {
  test(c.name, async () => {
    const ps = await policySetOf({ 'model.yaml': model(c.labels), 'policies.yaml': c.policies });
    const options = { inventoryComplete: c.inventoryComplete ?? false };
    const r = lower(ps, 'exact', options);
    assert.equal(r.diagnostics.map(formatDiagnostic), []);
    const s = r.snapshot!;
    assert.equal(s.findings, []);
    for (const e of c.expect) {
      const m = /^(\S+) -> (\S+) (TCP|UDP|SCTP) (\d+): (allow|deny)$/.exec(e)!;
      assert.is(contrailAllows(ps, s, m[1]!, m[2]!, Number(m[4]), m[3] as 'TCP'), m[5] === 'allow', e);
    }
    const v = verifyExact(ps, s);
    assert.ok(v.probes > 0);
    assert.is(v.divergent, 0, `divergences: ${v.groups.map((g) => `${g.cause} x${g.count}`).join(', ')}`);
    const cn2 = lower(ps, 'cn2', options).snapshot!;
    assert.ok(s.rules.length <= cn2.rules.length, `exact ${s.rules.length} rules, cn2 ${cn2.rules.length}`);
    totals.cn2 += cn2.rules.length;
    totals.exact += s.rules.length;
  });
}

test('over all the cases, mode exact writes at most 0.65 times the rules of mode cn2', () => {
  assert.ok(totals.exact <= 0.65 * totals.cn2, `exact ${totals.exact} rules, cn2 ${totals.cn2}`);
});

test.run();
