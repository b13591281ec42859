/**
 * The seed's example (the Kubernetes documentation's test-network-policy): the five rules of
 * mapping.md's table, in that order, plus its two deny-all rules and the allow-all rules of its
 * namespace, as a reviewer reads them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileYaml, policyRefs, rule, ruleLine } from './compile-yaml.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const yaml = readFileSync(path.join(here, 'reference/km-inputs/test-network-policy.yaml'), 'utf8');

test('the five rules of the seed table, in order, with their endpoints', async () => {
  const s = await compileYaml({ 'test-network-policy.yaml': yaml });
  const refs = policyRefs(s, 'k8s-default-test-network-policy');
  assert.equal(refs, [
    '00000.0 default-ingress-test-network-policy-0-ipBlock-0-172.17.1.0/24-0',
    '00001.0 default-ingress-test-network-policy-0-ipBlock-0-cidr-172.17.0.0/16-0',
    '00002.0 default-ingress-test-network-policy-0-namespaceSelector-1-0',
    '00003.0 default-ingress-test-network-policy-0-podSelector-2-0',
    '00004.0 default-egress-test-network-policy-ipBlock-0-cidr-10.0.0.0/24-0',
  ]);
  assert.equal(
    refs.map((r) => ruleLine(rule(s, r.split(' ')[1]))),
    [
      'deny tcp:6379-6379 AG 172.17.1.0/24 > role=db&namespace=default',
      'pass tcp:6379-6379 AG 172.17.0.0/16 > role=db&namespace=default',
      'pass tcp:6379-6379 project=myproject > role=db&namespace=default',
      'pass tcp:6379-6379 role=frontend&namespace=default > role=db&namespace=default',
      'pass tcp:5978-5978 role=db&namespace=default > AG 10.0.0.0/24',
    ],
  );
});

test('its deny-all rules in k8s-denyall and the allow-all rules of namespace default', async () => {
  const s = await compileYaml({ 'test-network-policy.yaml': yaml });
  assert.equal(policyRefs(s, 'k8s-denyall'), [
    '00001.0 default-ingress-test-network-policy-denyall',
    '00002.0 default-egress-test-network-policy-default-deny-all',
  ]);
  assert.equal(ruleLine(rule(s, 'default-ingress-test-network-policy-denyall')), 'deny any any > role=db&namespace=default');
  assert.equal(ruleLine(rule(s, 'default-egress-test-network-policy-default-deny-all')), 'deny any role=db&namespace=default > any');
  assert.equal(policyRefs(s, 'k8s-allowall'), ['00001.0 k8s-Namespace-default-ingress', '00002.0 k8s-Namespace-default-egress']);
  assert.equal(ruleLine(rule(s, 'k8s-Namespace-default-ingress')), 'pass any any > namespace=default');
  assert.equal(ruleLine(rule(s, 'k8s-Namespace-default-egress')), 'pass any namespace=default > any');
  assert.equal(s.rules.length, 9, 'five rules, two deny-all rules, two allow-all rules');
  assert.equal(
    s.tags.map((t) => t.name),
    ['application=k8s', 'namespace=default', 'project=myproject', 'role=db', 'role=frontend'],
  );
  assert.equal(
    s.addressGroups.map((g) => `${g.name} ${g.prefixes.map((p) => `${p.ip}/${p.len}`).join(',')}`),
    ['10.0.0.0/24 10.0.0.0/24', '172.17.0.0/16 172.17.0.0/16', '172.17.1.0/24 172.17.1.0/24'],
  );
});

test('every rule says where it comes from', async () => {
  const s = await compileYaml({ 'test-network-policy.yaml': yaml });
  const where = (name: string) => {
    const src = rule(s, name).source;
    return `${src?.policy} ${src?.direction} ${src?.origin?.doc.file} ${JSON.stringify(src?.origin?.path)}`;
  };
  assert.equal(where('default-ingress-test-network-policy-0-namespaceSelector-1-0'), 'default/test-network-policy ingress policies/test-network-policy.yaml ["spec","ingress",0,"from",1]');
  assert.equal(where('default-egress-test-network-policy-ipBlock-0-cidr-10.0.0.0/24-0'), 'default/test-network-policy egress policies/test-network-policy.yaml ["spec","egress",0,"to",0]');
  assert.equal(where('default-ingress-test-network-policy-denyall'), 'default/test-network-policy ingress policies/test-network-policy.yaml ["spec","podSelector"]');
  assert.equal(rule(s, 'k8s-Namespace-default-ingress').source?.policy, undefined, 'cluster-wide rules belong to no policy');
  assert.equal(s.policies.find((p) => p.name === 'k8s-default-test-network-policy')?.policy, 'default/test-network-policy');
});

test('the except becomes a deny rule: a finding says so, at the except entry', async () => {
  const s = await compileYaml({ 'test-network-policy.yaml': yaml });
  assert.equal(s.findings.length, 1);
  const [f] = s.findings;
  assert.equal([f.kind, f.severity, f.policy], ['except-deny-shadowing', 'warning', 'default/test-network-policy']);
  assert.equal(f.origin.path, ['spec', 'ingress', 0, 'from', 0, 'ipBlock', 'except', 0]);
  assert.equal(
    f.message,
    'except 172.17.1.0/24 becomes the deny rule default-ingress-test-network-policy-0-ipBlock-0-172.17.1.0/24-0: traffic from 172.17.1.0/24 on these ports is denied before any later peer, rule or policy can allow it',
  );
});

test.run();
