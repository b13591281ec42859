/**
 * kube-manager's behaviours that the reference set does not cover, checked by hand against its
 * source (vnc_security_policy.py): what a user sees in Contrail (rule names, endpoints, order) and
 * the finding that explains it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileYaml, findingKinds, policyRefs, rule, ruleLine } from './compile-yaml.js';

function np(ns: string, name: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec}`;
}

const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;

test('duplicate peers and ports share one index: one rule, its ref holds the last sequence', async () => {
  const s = await compileYaml({
    'dup.yaml': np('default', 'dup', `  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - podSelector: {matchLabels: {role: web}}
    - podSelector: {matchLabels: {role: web}}
    ports: [{port: 80}, {port: 80, protocol: TCP}]
`),
  });
  // Four (peer, port) pairs, all named ...-podSelector-0-0: vnc_api updates the first ref's sequence in place.
  assert.equal(policyRefs(s, 'k8s-default-dup'), ['00003.0 default-ingress-dup-0-podSelector-0-0']);
  assert.equal(ruleLine(rule(s, 'default-ingress-dup-0-podSelector-0-0')), 'pass tcp:80-80 role=web&namespace=default > app=db&namespace=default');
  assert.equal(s.findings, []);
});

test('NotIn: a namespaceSelector NotIn with a podSelector gives a deny, a pass to any, and a pass for the pods', async () => {
  const s = await compileYaml({
    'notin.yaml': np('default', 'notin', `  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector: {matchExpressions: [{key: env, operator: NotIn, values: [dev, test]}]}
      podSelector: {matchLabels: {role: web}}
    - podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [a, b]}]}
`),
  });
  assert.equal(
    policyRefs(s, 'k8s-default-notin').map((r) => `${r} | ${ruleLine(rule(s, r.split(' ')[1]))}`),
    [
      '00000.0 default-ingress-notin-0-namespaceSelector-0-env=test-0 | deny any env=test > app=db&namespace=default',
      '00001.0 default-ingress-notin-0-namespaceSelector-0-0 | pass any any > app=db&namespace=default',
      '00002.0 default-ingress-notin-0-podSelector-0-0 | pass any env=test&role=web > app=db&namespace=default',
      // a podSelector NotIn is read as In of its last value: it selects the excluded pods
      '00003.0 default-ingress-notin-0-podSelector-1-0 | pass any tier=b&namespace=default > app=db&namespace=default',
    ],
  );
  assert.equal(findingKinds(s), ['default/notin namespace-selector-notin', 'default/notin match-expressions']);
  assert.equal(
    s.findings[0].message,
    'namespaceSelector env NotIn [dev, test]: CN2 writes a deny rule for env=test only, then passes traffic from any source (every pod and every address outside the cluster) on the same ports (namespaces labelled env=dev are not excluded)',
  );
  assert.equal(
    s.findings[1].message,
    'CN2 does not read matchExpressions as Kubernetes does (tier NotIn [a, b] becomes tier=b, the excluded value): it matches tier=b && namespace=default',
  );
});

test('{namespaceSelector: {}, podSelector: {}} means the own namespace only', async () => {
  const s = await compileYaml({
    'both.yaml': np('team-a', 'both', `  podSelector: {}
  ingress:
  - from:
    - namespaceSelector: {}
      podSelector: {}
`),
  });
  assert.equal(policyRefs(s, 'k8s-team-a-both'), ['00000.0 team-a-ingress-both-0-podSelector-0-0']);
  assert.equal(ruleLine(rule(s, 'team-a-ingress-both-0-podSelector-0-0')), 'pass any namespace=team-a > namespace=team-a');
  assert.equal(findingKinds(s), ['team-a/both empty-namespace-selector-dropped']);
  assert.match(s.findings[0].message, 'only pods of namespace team-a are allowed');
});

test('namespaceSelector: {} alone turns the rule into allow-all', async () => {
  const s = await compileYaml({
    'alone.yaml': np('default', 'alone', `  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector: {}
    ports: [{port: 5432}]
`),
  });
  assert.equal(policyRefs(s, 'k8s-default-alone'), ['00000.0 default-ingress-alone-0-allow-all-0']);
  assert.equal(ruleLine(rule(s, 'default-ingress-alone-0-allow-all-0')), 'pass tcp:5432-5432 any > app=db&namespace=default');
  assert.equal(
    s.findings.map((f) => f.message),
    ['namespaceSelector: {} (every pod in every namespace) gives CN2 no endpoint, so the rule allows traffic from any source (every pod and every address outside the cluster)'],
  );
});

test("labels with '/': __slash__ in peer matchLabels (the key moves last), kept as is in the policy's own selector", async () => {
  const s = await compileYaml({
    'slash.yaml': np('default', 'slash', `  podSelector: {matchLabels: {app.kubernetes.io/name: db}}
  ingress:
  - from:
    - podSelector: {matchLabels: {a.io/x: "1", b: "2"}}
`),
  });
  assert.equal(
    ruleLine(rule(s, 'default-ingress-slash-0-podSelector-0-0')),
    'pass any b=2&a.io__slash__x=1&namespace=default > app.kubernetes.io/name=db&namespace=default',
  );
  assert.equal(findingKinds(s), ['default/slash slash-label-unescaped']);
  assert.equal(
    s.findings[0].message,
    `CN2 writes the tag "app.kubernetes.io/name=db" with its '/', but pods carry "app.kubernetes.io__slash__name=db": this policy selects no pod and is not enforced`,
  );
  assert.equal(s.findings[0].origin.path, ['spec', 'podSelector', 'matchLabels', 'app.kubernetes.io/name']);
});

test('several policies: deny-all sequences, namespaces in allowall, APS order; a failed policy is left out', async () => {
  const s = await compileYaml({
    'ns.yaml': namespace('zeta'),
    'ns2-c.yaml': np('ns2', 'c', '  podSelector: {}\n'),
    'b.yaml': np('default', 'b', '  podSelector: {matchLabels: {app: b}}\n  policyTypes: [Egress]\n'),
    'a.yaml': np('default', 'a', '  podSelector: {matchLabels: {app: a}}\n  policyTypes: [Egress, Ingress]\n'),
    'bad.yaml': np('default', 'bad', `  podSelector: {matchLabels: {app: db}}
  ingress:
  - ports: [{port: postgres}]
`),
    'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: apps\nspec:\n  containers:\n  - name: c\n    image: x\n',
  });
  assert.equal(policyRefs(s, 'k8s-denyall'), [
    '00001.0 default-ingress-a-denyall',
    '00002.0 default-egress-a-default-deny-all',
    '00003.0 default-egress-b-default-deny-all',
    '00004.0 ns2-ingress-c-denyall',
  ]);
  assert.equal(policyRefs(s, 'k8s-allowall'), [
    '00001.0 k8s-Namespace-apps-ingress',
    '00002.0 k8s-Namespace-apps-egress',
    '00003.0 k8s-Namespace-default-ingress',
    '00004.0 k8s-Namespace-default-egress',
    '00005.0 k8s-Namespace-ns2-ingress',
    '00006.0 k8s-Namespace-ns2-egress',
    '00007.0 k8s-Namespace-zeta-ingress',
    '00008.0 k8s-Namespace-zeta-egress',
  ]);
  assert.equal(
    s.policySets.map((a) => `${a.name} ${a.tags.join(',')}: ${a.policies.map((p) => `${p.sequence} ${p.name}`).join(' | ')}`),
    ['k8s application=k8s: 00001.0 k8s-Ingress | 00002.0 k8s-default-a | 00003.0 k8s-default-b | 00004.0 k8s-ns2-c | 00005.0 k8s-denyall | 00006.0 k8s-allowall'],
  );
  // default/bad: the named port fails the rule create; its deny-all rule exists but nothing points at it
  assert.ok(rule(s, 'default-ingress-bad-denyall'));
  assert.not.ok(s.policies.some((p) => p.name === 'k8s-default-bad'));
  assert.equal(findingKinds(s), ['default/bad named-port']);
  assert.equal(s.findings[0].message, `named port "postgres": CN2's config API rejects the rule; the whole policy is not enforced (its deny-all rule stays unreferenced)`);
  assert.equal(s.findings[0].origin.path, ['spec', 'ingress', 0, 'ports', 0]);
});

test('an upper-case label key fails the policy where the tag is created; earlier objects stay', async () => {
  const s = await compileYaml({
    'upper.yaml': np('default', 'upper', `  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - podSelector: {matchLabels: {role: web}}
  egress:
  - to:
    - podSelector: {matchLabels: {Role: web}}
`),
  });
  assert.equal(s.tags.map((t) => t.name), ['app=db', 'application=k8s', 'namespace=default', 'role=web']);
  assert.equal(
    s.rules.map((r) => r.name),
    ['default-ingress-upper-denyall', 'k8s-Namespace-default-egress', 'k8s-Namespace-default-ingress'],
  );
  assert.equal(policyRefs(s, 'k8s-denyall'), []);
  assert.equal(
    s.findings.map((f) => `${f.kind} ${JSON.stringify(f.origin.path)} ${f.message}`),
    [
      `uppercase-label-key ["spec","egress",0,"to",0,"podSelector","matchLabels","Role"] label key "Role": CN2's config API lower-cases tag types, so the tag "Role=web" cannot be created; the whole policy is not enforced (its deny-all rule stays unreferenced)`,
    ],
  );
});

test('egress rules whose peers share indexes: the later rule wins the name, the first ref keeps its place', async () => {
  const s = await compileYaml({
    'eo.yaml': np('default', 'eo', `  podSelector: {matchLabels: {app: db}}
  egress:
  - to:
    - podSelector: {matchLabels: {app: a}}
    - podSelector: {matchLabels: {app: b}}
  - to:
    - podSelector: {matchLabels: {app: c}}
`),
  });
  assert.equal(policyRefs(s, 'k8s-default-eo'), ['00002.0 default-egress-eo-podSelector-0-0', '00001.0 default-egress-eo-podSelector-1-0']);
  assert.equal(ruleLine(rule(s, 'default-egress-eo-podSelector-0-0')), 'pass any app=db&namespace=default > app=c&namespace=default');
  assert.equal(findingKinds(s), ['default/eo egress-name-collision']);
  assert.equal(s.findings[0].origin.path, ['spec', 'egress', 0, 'to', 0], 'the peer whose traffic is lost');
  assert.match(s.findings[0].message, 'spec.egress[1].to[0] produces the same name: CN2 keeps only the later rule');
});

test('two NetworkPolicies with one firewall policy name: the later replaces the earlier one\'s rules', async () => {
  const s = await compileYaml({
    'a.yaml': np('a', 'b-c', '  podSelector: {matchLabels: {app: x}}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.1.0.0/16}\n'),
    'b.yaml': np('a-b', 'c', '  podSelector: {matchLabels: {app: yy}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {role: z}}\n'),
  });
  assert.equal(policyRefs(s, 'k8s-a-b-c'), ['00000.0 a-b-ingress-c-0-podSelector-0-0']);
  assert.equal(s.policies.find((p) => p.name === 'k8s-a-b-c')?.policy, 'a-b/c');
  // a/b-c's rule and its address group are deleted; both deny-all rules stay in k8s-denyall
  assert.not.ok(s.rules.some((r) => r.name.startsWith('a-ingress-b-c-0-')));
  assert.equal(s.addressGroups, []);
  assert.equal(policyRefs(s, 'k8s-denyall'), ['00001.0 a-ingress-b-c-denyall', '00002.0 a-b-ingress-c-denyall']);
  assert.equal(s.policySets[0].policies.map((p) => p.name), ['k8s-Ingress', 'k8s-a-b-c', 'k8s-denyall', 'k8s-allowall']);
  assert.equal(findingKinds(s), ['a/b-c policy-name-collision', 'a-b/c policy-name-collision']);
  assert.match(s.findings[0].message, 'CN2 replaces this policy\'s rules with those of a-b/c');
});

test('two NetworkPolicies with one firewall policy name and the same spec: the later creates nothing', async () => {
  const spec = '  podSelector: {matchLabels: {app: x}}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.1.0.0/16}\n';
  const s = await compileYaml({ 'a.yaml': np('a', 'b-c', spec), 'b.yaml': np('a-b', 'c', spec) });
  assert.equal(policyRefs(s, 'k8s-a-b-c'), ['00000.0 a-ingress-b-c-0-ipBlock-0-cidr-10.1.0.0/16-0']);
  assert.equal(policyRefs(s, 'k8s-denyall'), ['00001.0 a-ingress-b-c-denyall']);
  assert.equal(findingKinds(s), ['a-b/c policy-name-collision']);
  assert.match(s.findings[0].message, 'creates nothing for this one, so this policy is not enforced');
});

test('top-level matchExpressions are ignored; endPort is ignored; In keeps its last value', async () => {
  const s = await compileYaml({
    'x.yaml': np('default', 'x', `  podSelector:
    matchLabels: {app: db}
    matchExpressions: [{key: tier, operator: In, values: [a]}]
  ingress:
  - from:
    - podSelector:
        matchLabels: {team: t}
        matchExpressions: [{key: role, operator: In, values: [web, api]}, {key: canary, operator: DoesNotExist}]
    ports: [{port: 8000, endPort: 8080}]
`),
  });
  assert.equal(ruleLine(rule(s, 'default-ingress-x-0-podSelector-0-0')), 'pass tcp:8000-8000 role=api&namespace=default > app=db&namespace=default');
  assert.equal(
    s.findings.map((f) => `${f.kind}: ${f.message}`),
    [
      'top-level-match-expressions-ignored: spec.podSelector.matchExpressions are ignored by CN2: the policy applies to every pod with app=db && namespace=default',
      'match-expressions: CN2 does not read matchExpressions as Kubernetes does (role In [web, api] keeps only role=api; canary DoesNotExist is dropped; matchLabels are replaced by the expressions): it matches role=api && namespace=default',
      'end-port-ignored: endPort 8080 is ignored by CN2: only port 8000 is allowed, not 8000-8080',
    ],
  );
  // matchLabels' tags are created even though the expressions replace them
  assert.ok(s.tags.some((t) => t.name === 'team=t'));
});

test('an Exists-only selector widens the peer to any', async () => {
  const s = await compileYaml({
    'x.yaml': np('default', 'x', `  podSelector: {matchLabels: {app: db}}
  egress:
  - to:
    - podSelector: {matchExpressions: [{key: role, operator: Exists}]}
`),
  });
  assert.equal(ruleLine(rule(s, 'default-egress-x-podSelector-0-0')), 'pass any app=db&namespace=default > any');
  assert.equal(
    s.findings.map((f) => f.message),
    ['CN2 does not read matchExpressions as Kubernetes does (role Exists is dropped): it matches any destination'],
  );
});

test('the cluster name prefixes every cluster object', async () => {
  const s = await compileYaml({ 'x.yaml': np('default', 'x', '  podSelector: {}\n') }, 'prod-1');
  assert.equal(s.policies.map((p) => p.name), ['prod-1-Ingress', 'prod-1-allowall', 'prod-1-default-x', 'prod-1-denyall']);
  assert.equal(s.policySets[0].tags, ['application=prod-1']);
  assert.equal(s.cluster, 'prod-1');
});

test.run();
