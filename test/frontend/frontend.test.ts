import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostic } from '../../src/diagnostics.js';
import { FrontEndCache, readPolicySet } from '../../src/frontend.js';
import { fsSource } from '../../src/load/fs-source.js';
import { memorySource } from '../../src/load/memory-source.js';
import { fieldPath, positionOf, type Origin } from '../../src/model/source.js';

const where = (o: Origin): string => {
  const p = positionOf(o);
  return `${p.file}:${p.line}:${p.col} ${fieldPath(o.path)}`;
};

/** The model without origins, for deep comparison. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x) => (k === 'origin' ? undefined : x)));

const TEST_POLICY = `# The Kubernetes documentation's test-network-policy
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
  - Ingress
  - Egress
  ingress:
  - from:
    - ipBlock:
        cidr: 172.17.0.0/16
        except:
        - 172.17.1.0/24
    - namespaceSelector:
        matchLabels:
          project: myproject
    - podSelector:
        matchLabels:
          role: frontend
    ports:
    - protocol: TCP
      port: 6379
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/24
    ports:
    - protocol: TCP
      port: 5978
`;

test('the documentation example becomes the model, with origins on every node', async () => {
  const r = await readPolicySet(memorySource({ 'policies/test.yaml': TEST_POLICY }), 'policies');
  assert.equal(r.diagnostics, []);
  assert.is(r.files, 1);
  assert.equal(r.objects, { NetworkPolicy: 1 });
  const [p] = r.policySet.policies;
  assert.equal(plain(p), {
    name: 'test-network-policy',
    namespace: 'default',
    podSelector: { matchLabels: [['role', 'db']], matchExpressions: [] },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      {
        peers: [
          { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] }, index: 0 },
          { namespaceSelector: { matchLabels: [['project', 'myproject']], matchExpressions: [] }, index: 1 },
          { podSelector: { matchLabels: [['role', 'frontend']], matchExpressions: [] }, index: 2 },
        ],
        ports: [{ protocol: 'TCP', port: 6379, index: 0 }],
        index: 0,
      },
    ],
    egress: [{ peers: [{ ipBlock: { cidr: '10.0.0.0/24', except: [] }, index: 0 }], ports: [{ protocol: 'TCP', port: 5978, index: 0 }], index: 0 }],
  });
  assert.is(where(p.origin), 'policies/test.yaml:2:1 ');
  assert.is(where(p.podSelector.origin), 'policies/test.yaml:9:5 spec.podSelector');
  assert.is(where(p.ingress[0].peers[2].origin), 'policies/test.yaml:23:7 spec.ingress[0].from[2]');
  assert.is(where(p.ingress[0].peers[0].ipBlock!.origin), 'policies/test.yaml:17:9 spec.ingress[0].from[0].ipBlock');
  assert.is(where(p.egress[0].ports[0].origin), 'policies/test.yaml:34:7 spec.egress[0].ports[0]');
});

test('defaulting: protocol TCP; policyTypes from egress presence; absent or empty from/to/ports are []', async () => {
  const np = (name: string, spec: string): string => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}}\nspec:\n${spec}`;
  const files = {
    'policies/a.yaml': np('ingress-only', '  podSelector: {}\n  ingress: [{}]\n'),
    'policies/b.yaml': np('with-egress', '  podSelector: {}\n  egress:\n  - to: []\n    ports: [{port: 53, protocol: UDP}, {port: 80}]\n'),
    'policies/c.yaml': np('empty-egress', '  podSelector: {}\n  egress: []\n  policyTypes: []\n'),
    'policies/d.yaml': np('egress-only', '  podSelector: {}\n  policyTypes: [Egress]\n'),
    'policies/e.yaml': np('no-spec', ''),
  };
  const r = await readPolicySet(memorySource(files), 'policies');
  assert.equal(r.diagnostics, []);
  const byName = Object.fromEntries(r.policySet.policies.map((p) => [p.name, p]));
  assert.equal(byName['ingress-only'].policyTypes, ['Ingress']);
  assert.equal(plain(byName['ingress-only'].ingress), [{ peers: [], ports: [], index: 0 }]);
  assert.equal(byName['with-egress'].policyTypes, ['Ingress', 'Egress']);
  assert.equal(plain(byName['with-egress'].egress[0].ports), [
    { protocol: 'UDP', port: 53, index: 0 },
    { protocol: 'TCP', port: 80, index: 1 },
  ]);
  assert.equal(byName['empty-egress'].policyTypes, ['Ingress']);
  assert.equal(byName['egress-only'].policyTypes, ['Egress']);
  assert.equal(plain(byName['no-spec'].podSelector), { matchLabels: [], matchExpressions: [] });
  assert.is(byName['no-spec'].namespace, 'default');
});

test('presence of selectors is kept; matchLabels sorted by key; requirement values in written order', async () => {
  const yaml = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector:
    matchLabels: {z: "1", a: "2", M: "3"}
    matchExpressions: [{key: tier, operator: NotIn, values: [b, a]}]
  ingress:
  - from:
    - namespaceSelector: {}
    - podSelector: {}
      namespaceSelector: {matchLabels: {team: x}}
`;
  const r = await readPolicySet(memorySource({ 'policies/p.yaml': yaml }), 'policies');
  const [p] = r.policySet.policies;
  assert.equal(p.podSelector.matchLabels, [['M', '3'], ['a', '2'], ['z', '1']]);
  assert.equal(plain(p.podSelector.matchExpressions), [{ key: 'tier', operator: 'NotIn', values: ['b', 'a'] }]);
  const peers = p.ingress[0].peers;
  assert.ok(peers[0].namespaceSelector && !peers[0].podSelector && !peers[0].ipBlock);
  assert.ok(peers[1].podSelector && peers[1].namespaceSelector);
  assert.equal(plain(peers[0].namespaceSelector), { matchLabels: [], matchExpressions: [] });
});

test('namespaces and workloads: labels sorted, pod templates, container ports, podIP; lists sorted', async () => {
  const files = {
    'policies/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {team: a, env: prod}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: admin}\n',
    'policies/w.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {ignored: "yes"}}
spec:
  template:
    metadata: {labels: {app: web, tier: fe}}
    spec:
      containers:
      - name: a
        ports: [{containerPort: 8080, name: http}, {containerPort: 53, protocol: UDP}]
      - name: b
        ports: [{containerPort: 9090}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: shop}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: backup}}
        spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, labels: {app: debug}}
spec: {containers: [{name: c, ports: [{containerPort: 22}]}]}
status: {podIP: 10.244.0.7}
`,
  };
  const r = await readPolicySet(memorySource(files), 'policies');
  assert.equal(r.diagnostics, []);
  assert.equal(r.objects, { Namespace: 2, Deployment: 1, CronJob: 1, Pod: 1 });
  assert.equal(plain(r.policySet.namespaces), [
    { name: 'admin', labels: [] },
    { name: 'shop', labels: [['env', 'prod'], ['team', 'a']] },
  ]);
  assert.equal(plain(r.policySet.workloads), [
    { kind: 'Pod', name: 'debug', namespace: 'default', labels: [['app', 'debug']], ports: [{ containerPort: 22, protocol: 'TCP' }], podIP: '10.244.0.7' },
    { kind: 'CronJob', name: 'backup', namespace: 'shop', labels: [['app', 'backup']], ports: [] },
    {
      kind: 'Deployment',
      name: 'web',
      namespace: 'shop',
      labels: [['app', 'web'], ['tier', 'fe']],
      ports: [
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
        { containerPort: 53, protocol: 'UDP' },
        { containerPort: 9090, protocol: 'TCP' },
      ],
    },
  ]);
});

test('the same policy name twice in a namespace across files: reported at the second, naming the first', async () => {
  const np = (ns: string): string => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  namespace: ${ns}\n  name: db\nspec: {}\n`;
  const r = await readPolicySet(memorySource({ 'policies/b.yaml': np('shop'), 'policies/a.yaml': np('shop'), 'policies/c.yaml': np('other') }), 'policies');
  assert.equal(r.diagnostics.map(formatDiagnostic), [
    'policies/b.yaml:5:9: error: metadata.name: NetworkPolicy "db" in namespace "shop" is already defined at policies/a.yaml:5:9',
  ]);
  // Only valid objects remain in the model.
  assert.equal(r.policySet.policies.map((p) => `${p.namespace}/${p.name} ${p.origin.doc.file}`), ['other/db policies/c.yaml', 'shop/db policies/a.yaml']);
});

test('a cache shared by two revisions parses only what differs, and each revision reads as it would alone', async () => {
  const np = (ns: string, name: string, port: number): string =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  namespace: ${ns}\n  name: ${name}\nspec:\n  ingress:\n  - ports:\n    - port: ${port}\n`;
  const base = {
    'policies/a.yaml': np('shop', 'db', 5432),
    'policies/b.yaml': np('shop', 'web', 80),
    'policies/c.yaml': np('shop', 'api', 8080),
  };
  const head = {
    'policies/a.yaml': np('shop', 'db', 5433), // changed
    'policies/b.yaml': base['policies/b.yaml'],
    'policies/c2.yaml': base['policies/c.yaml'], // the same bytes under another name
    'policies/d.yaml': np('shop', 'web', 81), // a duplicate of b's name, only on the head
  };
  const cache = new FrontEndCache();
  const baseRead = await readPolicySet(memorySource(base), 'policies', cache);
  const headRead = await readPolicySet(memorySource(head), 'policies', cache);
  assert.equal(cache.stats, { parsed: 6, reused: 1 });
  for (const [files, cached] of [
    [base, baseRead],
    [head, headRead],
  ] as const) {
    const alone = await readPolicySet(memorySource(files), 'policies');
    assert.equal(cached.diagnostics.map(formatDiagnostic), alone.diagnostics.map(formatDiagnostic));
    assert.equal(plain(cached.policySet), plain(alone.policySet));
    assert.equal(cached.policySet.policies.map((p) => where(p.origin)), alone.policySet.policies.map((p) => where(p.origin)));
  }
  // The folder rules run per revision: the duplicate is the head's only.
  assert.equal(baseRead.diagnostics.map(formatDiagnostic), []);
  assert.equal(headRead.diagnostics.map(formatDiagnostic), [
    'policies/d.yaml:5:9: error: metadata.name: NetworkPolicy "web" in namespace "shop" is already defined at policies/b.yaml:5:9',
  ]);
  assert.equal(headRead.policySet.policies.map((p) => `${p.name} ${p.origin.doc.file} ${p.ingress[0]!.ports[0]!.port}`), [
    'api policies/c2.yaml 8080',
    'db policies/a.yaml 5433',
    'web policies/b.yaml 80',
  ]);
});

test('every problem is reported, sorted by file and line; invalid objects are left out', async () => {
  const bad = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: Bad_Name}
spec:
  podSelector: {}
  ingress:
  - from:
    - ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}
    ports: [{port: 0}]
  egress: [{to: [{}]}]
`;
  const good = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: good}\nspec: {podSelector: {}}\n';
  const r = await readPolicySet(memorySource({ 'policies/z.yaml': bad, 'policies/a.yaml': good, 'policies/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n' }), 'policies');
  assert.equal(r.diagnostics.map(formatDiagnostic), [
    'policies/svc.yaml:2:7: notice: kind: Service (v1) is not used by contrail-gitops: skipped',
    `policies/z.yaml:3:18: error: metadata.name: invalid value "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    'policies/z.yaml:8:45: error: spec.ingress[0].from[0].ipBlock.except[0]: must be a strict subset of 10.0.0.0/16',
    'policies/z.yaml:9:20: error: spec.ingress[0].ports[0].port: invalid value 0: must be between 1 and 65535, inclusive',
    'policies/z.yaml:10:18: error: spec.egress[0].to[0]: must specify a peer',
  ]);
  assert.equal(r.policySet.policies.map((p) => p.name), ['good']);
  assert.equal(r.objects, { NetworkPolicy: 2 });
});

test('objects inside a kind: List keep positions relative to the file; their field paths to the object', async () => {
  const list = `apiVersion: v1
kind: List
items:
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: a}
  spec:
    podSelector: {}
    egress:
    - ports: [{port: 80, protocol: ICMP}]
`;
  const r = await readPolicySet(memorySource({ 'policies/list.yaml': list }), 'policies');
  assert.equal(r.diagnostics.map(formatDiagnostic), [
    'policies/list.yaml:10:36: error: spec.egress[0].ports[0].protocol: unsupported value "ICMP": supported values: "TCP", "UDP", "SCTP"',
  ]);
});

// The copy of ../shared/reference kept with the cn2 reference test (which checks it is identical).
const KM_INPUTS = new URL('../compile/cn2/reference/km-inputs/', import.meta.url);

test('the reference inputs (valid Kubernetes objects) all load and validate cleanly', async () => {
  const dir = KM_INPUTS;
  const names = readdirSync(dir).filter((n) => n.endsWith('.yaml'));
  assert.ok(names.length > 0);
  for (const n of names) assert.match(readFileSync(new URL(n, dir), 'utf8'), /^#/);
  const r = await readPolicySet(fsSource(new URL('..', dir).pathname), 'km-inputs');
  assert.equal(r.diagnostics.map(formatDiagnostic), []);
  assert.is(r.files, names.length);
  assert.is(r.policySet.policies.length, r.objects.NetworkPolicy);
});

test.run();
