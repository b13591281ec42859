/**
 * Mode exact on small repositories through the real front end: the rules it writes (as a reviewer
 * reads them in rendered/firewall-rules.md), the objects around them, and that the simulator finds
 * no probe where Contrail would enforce something else than Kubernetes.
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exact, policySetOf, table, verifyExact } from './support.js';

const SEED = readFileSync(new URL('../../../policies/default/test-network-policy.yaml', import.meta.url), 'utf8');

test("the seed's example: exact rules named after what they do, except as one address group, no deny for it", async () => {
  const s = await exact(SEED);
  assert.equal(table(s), [
    '== k8s-exact-both',
    'exact-default-test-network-policy-egress-to-10.0.0.0/24-tcp-5978: pass tcp:5978 role=db&namespace=default > AG 10.0.0.0/24',
    'exact-default-test-network-policy-ingress-from-172.17.0.0/16-except-172.17.1.0/24-tcp-6379: pass tcp:6379 AG 172.17.0.0/16-except-172.17.1.0/24 > role=db&namespace=default',
    'exact-default-test-network-policy-ingress-from-project.myproject-tcp-6379: pass tcp:6379 project=myproject > role=db&namespace=default',
    'exact-default-test-network-policy-ingress-from-role.frontend-tcp-6379: pass tcp:6379 role=frontend&namespace=default > role=db&namespace=default',
    '== k8s-exact-egress-isolation',
    'exact-deny-egress-from-default-role.db: deny any role=db&namespace=default > any',
    '== k8s-exact-ingress-isolation',
    'exact-deny-ingress-to-default-role.db: deny any any > role=db&namespace=default',
    '== k8s-exact-allow-all',
    'exact-allow-all: pass any any > any',
  ]);
  assert.equal(
    s.addressGroups.map((g) => `${g.name}: ${g.prefixes.map((p) => `${p.ip}/${p.len}`).join(' ')}`),
    [
      '10.0.0.0/24: 10.0.0.0/24',
      '172.17.0.0/16-except-172.17.1.0/24: 172.17.0.0/24 172.17.2.0/23 172.17.4.0/22 172.17.8.0/21 172.17.16.0/20 172.17.32.0/19 172.17.64.0/18 172.17.128.0/17',
    ],
  );
  assert.equal(verifyExact(await policySetOf(SEED), s).divergent, 0);
});

test('one application policy set, bound to the cluster tag and every namespace tag, over the seven steps in order', async () => {
  const s = await exact({
    'a.yaml': SEED,
    'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: myproject, labels: {project: myproject}}\n',
  });
  assert.is(s.mode, 'exact');
  assert.equal(s.policySets, [
    {
      name: 'k8s',
      tags: ['application=k8s', 'namespace=default', 'namespace=myproject'],
      policies: [
        { name: 'k8s-exact-both', sequence: '00001.0' },
        { name: 'k8s-exact-isolated-pairs', sequence: '00002.0' },
        { name: 'k8s-exact-egress', sequence: '00003.0' },
        { name: 'k8s-exact-egress-isolation', sequence: '00004.0' },
        { name: 'k8s-exact-ingress', sequence: '00005.0' },
        { name: 'k8s-exact-ingress-isolation', sequence: '00006.0' },
        { name: 'k8s-exact-allow-all', sequence: '00007.0' },
      ],
    },
  ]);
  assert.equal(
    s.tags.map((t) => t.name),
    ['application=k8s', 'namespace=default', 'namespace=myproject', 'project=myproject', 'role=db', 'role=frontend'],
  );
  const both = s.policies.find((p) => p.name === 'k8s-exact-both')!;
  assert.equal(both.rules.map((r) => r.sequence), ['00000.0', '00001.0', '00002.0', '00003.0']);
  const r = s.rules.find((x) => x.name === 'exact-default-test-network-policy-ingress-from-role.frontend-tcp-6379')!;
  assert.equal(r.service, { protocol: 'tcp', dstPorts: { start: 6379, end: 6379 } });
  assert.equal(r.endpoint1, { tags: ['role=frontend', 'namespace=default'] });
  assert.equal(r.source?.policy, 'default/test-network-policy');
  assert.equal(r.source?.direction, 'ingress');
});

test('In with several values is one rule per value; endPort is a dst_ports range; a port without a number is the whole range', async () => {
  const s = await exact(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector:
    matchExpressions:
    - {key: app, operator: In, values: [db, cache]}
  ingress:
  - from:
    - podSelector: {matchLabels: {role: api}}
    ports:
    - {port: 5432, endPort: 5440}
    - {port: 5441}
    - {protocol: UDP}
`);
  assert.equal(table(s), [
    '== k8s-exact-both',
    'exact-shop-db-app.cache-ingress-from-role.api-tcp-5432-5441: pass tcp:5432-5441 role=api&namespace=shop > app=cache&namespace=shop',
    'exact-shop-db-app.cache-ingress-from-role.api-udp: pass udp role=api&namespace=shop > app=cache&namespace=shop',
    'exact-shop-db-app.db-ingress-from-role.api-tcp-5432-5441: pass tcp:5432-5441 role=api&namespace=shop > app=db&namespace=shop',
    'exact-shop-db-app.db-ingress-from-role.api-udp: pass udp role=api&namespace=shop > app=db&namespace=shop',
    '== k8s-exact-ingress-isolation',
    'exact-deny-ingress-to-shop-app.cache: deny any any > app=cache&namespace=shop',
    'exact-deny-ingress-to-shop-app.db: deny any any > app=db&namespace=shop',
    '== k8s-exact-allow-all',
    'exact-allow-all: pass any any > any',
  ]);
});

test('namespaceSelector {} is every pod (the cluster application tag, and each application label pods carry); podSelector {} is the own namespace', async () => {
  const yaml = `
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: a, labels: {application: billing}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-all, namespace: a}
spec:
  podSelector: {}
  ingress:
  - from: [{namespaceSelector: {}}]
    ports: [{port: 80}]
  - from: [{namespaceSelector: {}, podSelector: {matchLabels: {role: mon}}}]
  - from: [{podSelector: {}}]
    ports: [{port: 81}]
`;
  const s = await exact(yaml);
  assert.equal(table(s), [
    '== k8s-exact-both',
    'exact-a-from-all-ingress-from-all-pods-tcp-80: pass tcp:80 application=k8s > namespace=a',
    'exact-a-from-all-ingress-from-all-pods-tcp-80-from-application.billing: pass tcp:80 application=billing > namespace=a',
    'exact-a-from-all-ingress-from-namespace.a-tcp-81: pass tcp:81 namespace=a > namespace=a',
    'exact-a-from-all-ingress-from-role.mon-any: pass any role=mon > namespace=a',
    '== k8s-exact-ingress-isolation',
    'exact-deny-ingress-to-a: deny any any > namespace=a',
    '== k8s-exact-allow-all',
    'exact-allow-all: pass any any > any',
  ]);
  // A pod label `application` replaces application=k8s: the namespace tag still binds the policy set.
  assert.equal(s.policySets[0]!.tags, ['application=k8s', 'namespace=a']);
});

test('a namespace selector on a key pods also carry selects the namespaces by their namespace tags', async () => {
  const yaml = `
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {team: payments}}
---
apiVersion: v1
kind: Namespace
metadata: {name: dev, labels: {team: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: rogue, namespace: tools, labels: {team: payments}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: prod, labels: {app: db}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 5432}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: prod}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: payments}}}]
`;
  const s = await exact(yaml);
  assert.equal(table(s).slice(0, 2), [
    '== k8s-exact-both',
    'exact-prod-db-ingress-from-namespace.prod-any: pass any namespace=prod > app=db&namespace=prod',
  ]);
  const ps = await policySetOf(yaml);
  const v = verifyExact(ps, s);
  assert.ok(v.probes > 0);
  assert.is(v.divergent, 0, 'tools/rogue (pod label team=payments) does not reach prod/db');
});

test('named ports: one rule per number, the endpoint narrowed to the pods that declare it', async () => {
  const pod = (name: string, version: string, port: number) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop, labels: {app: web, version: ${version}}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: ${port}}]}]}
---`;
  const yaml = `${pod('web-v1', 'v1', 8080)}${pod('web-v2', 'v2', 9090)}${pod('web-v3', 'v3', 8080)}
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client, namespace: shop}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: http}]
`;
  const s = await exact(yaml);
  assert.equal(table(s).slice(0, 4), [
    '== k8s-exact-both',
    'exact-shop-client-egress-to-app.web-version.v1-tcp-http-8080: pass tcp:8080 app=client&namespace=shop > app=web&version=v1&namespace=shop',
    'exact-shop-client-egress-to-app.web-version.v2-tcp-http-9090: pass tcp:9090 app=client&namespace=shop > app=web&version=v2&namespace=shop',
    'exact-shop-client-egress-to-app.web-version.v3-tcp-http-8080: pass tcp:8080 app=client&namespace=shop > app=web&version=v3&namespace=shop',
  ]);
  assert.is(verifyExact(await policySetOf(yaml), s).divergent, 0);
});

test('named port declared with one number by every selected pod: one rule on the whole selection', async () => {
  const s = await exact(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: http}]
`);
  assert.equal(table(s)[1], 'exact-shop-web-ingress-from-any-tcp-http-8080: pass tcp:8080 any > app=web&namespace=shop');
});

test('an ipBlock that holds some pods and must be AND-ed with a selection: a warning, and never more than Kubernetes allows', async () => {
  const yaml = `
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {app: b}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a, namespace: x}
spec:
  podSelector: {matchLabels: {app: a}}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 10.244.0.0/17}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b, namespace: x}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: a}}}]
    ports: [{port: 80}]
`;
  const s = await exact(yaml);
  assert.equal(
    s.findings.map((f) => `${f.severity} ${f.kind} ${f.policy}: ${f.message}`),
    [
      'warning ipblock-overlaps-pods x/a: ipBlock 10.244.0.0/17 holds part of the pod network 10.244.0.0/16 and must be combined with the policies of receivers that isolate their ingress: Contrail cannot AND an address group with tags, so mode exact takes it as addresses outside the cluster there, and such pods inside it are denied where Kubernetes may allow them; name those pods with a pod or namespace selector instead',
    ],
  );
  const v = verifyExact(await policySetOf(yaml), s);
  assert.equal(v.groups.map((g) => g.contrailAllows), v.groups.map(() => 0));
});

test('pods with status.podIP inside an ipBlock are named by their tags where the block meets a selection (the e2e except case)', async () => {
  const pod = (name: string, ip: string) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: x, labels: {pod: ${name}}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
status: {podIP: ${ip}}
---`;
  const yaml = `${pod('a', '10.244.1.10')}${pod('b', '10.244.1.11')}${pod('c', '10.244.1.12')}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a-egress, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 0.0.0.0/4, except: [10.244.1.11/32]}}]
    ports: [{port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: c-ingress, namespace: x}
spec:
  podSelector: {matchLabels: {pod: c}}
  ingress:
  - from: [{podSelector: {matchLabels: {pod: a}}}]
`;
  const s = await exact(yaml);
  assert.equal(s.findings, []);
  const ps = await policySetOf(yaml);
  const v = verifyExact(ps, s);
  assert.ok(v.probes > 0);
  assert.is(v.divergent, 0);
});

test('rule names do not depend on positions: adding a peer, a rule and a policy renames nothing', async () => {
  const before = await exact(SEED);
  const after = await exact({
    'a.yaml': SEED.replace('      ports:\n        - protocol: TCP\n          port: 6379', '        - podSelector:\n            matchLabels:\n              role: admin\n      ports:\n        - protocol: TCP\n          port: 6379').replace(
      '  egress:\n',
      '  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              role: cache\n',
    ),
    'b.yaml': `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: aaa-first, namespace: default}
spec:
  podSelector: {matchLabels: {role: web}}
  ingress: [{}]
`,
  });
  const names = new Set(after.rules.map((r) => r.name));
  for (const r of before.rules) assert.ok(names.has(r.name), `${r.name} is still there`);
  assert.ok(names.has('exact-default-test-network-policy-ingress-from-role.admin-tcp-6379'));
  assert.ok(names.has('exact-default-aaa-first-ingress-from-any-any'));
});

test('the snapshot does not depend on file order or file names', async () => {
  const a = await exact({ '1.yaml': SEED, '2.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: myproject, labels: {project: myproject}}\n' });
  const b = await exact({ 'z.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: myproject, labels: {project: myproject}}\n', 'a.yaml': SEED });
  // Everything but where a rule comes from (the file name) is the same.
  const content = (s: typeof a) => JSON.stringify({ ...s, rules: s.rules.map(({ source: _, ...r }) => r) });
  assert.is(content(a), content(b));
});

test('with inventoryComplete, NotIn is resolved against the values the manifests list', async () => {
  const yaml = `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web, tier: front}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api, tier: back}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: batch, namespace: shop, labels: {app: batch}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 5432}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [front]}]}}]
`;
  const s = await exact(yaml, { inventoryComplete: true });
  // tier=back, and the pods without a tier label (batch and db) told apart from web by their app tag.
  assert.equal(table(s).slice(0, 4), [
    '== k8s-exact-both',
    'exact-shop-db-ingress-from-app.batch-any: pass any app=batch&namespace=shop > app=db&namespace=shop',
    'exact-shop-db-ingress-from-app.db-any: pass any app=db&namespace=shop > app=db&namespace=shop',
    'exact-shop-db-ingress-from-tier.back-any: pass any tier=back&namespace=shop > app=db&namespace=shop',
  ]);
  assert.is(verifyExact(await policySetOf(yaml), s).divergent, 0);
});

test.run();
