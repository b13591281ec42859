/**
 * The Kubernetes evaluator, one NetworkPolicy v1 rule per case; each is small enough to check by
 * hand against the Kubernetes documentation.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { docs, k8sAllows, namespace, pod, setup } from './support.js';

const np = (ns: string, name: string, spec: object): string =>
  JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });

test('no policy: every flow is allowed, and the reasons say nothing isolates', async () => {
  const { ps, inv } = await setup(docs(pod('a', 'x'), pod('a', 'y')));
  const v = k8sAllows(ps, inv, 'a/x', 'a/y', 80);
  assert.is(v.allowed, true);
  assert.equal(v.reasons.map((r) => r.message), [
    'a/x is not egress-isolated (no NetworkPolicy with Egress selects it)',
    'a/y is not ingress-isolated (no NetworkPolicy with Ingress selects it)',
  ]);
});

test('an ingress policy with no rules isolates only the pods it selects', async () => {
  const { ps, inv } = await setup(docs(pod('a', 'db', { role: 'db' }), pod('a', 'web', { role: 'web' }), np('a', 'deny', { podSelector: { matchLabels: { role: 'db' } } })));
  const v = k8sAllows(ps, inv, 'a/web', 'a/db', 80);
  assert.is(v.allowed, false);
  assert.is(v.reasons[1]!.message, 'a/db is ingress-isolated by a/deny; no ingress rule of it allows a/web on TCP 80');
  assert.is(k8sAllows(ps, inv, 'a/db', 'a/web', 80).allowed, true);
});

test('egress deny-all at the sender wins over an ingress allow at the receiver', async () => {
  const { ps, inv } = await setup(
    docs(
      pod('a', 'client', { app: 'client' }),
      pod('a', 'server', { app: 'server' }),
      np('a', 'deny-egress', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'] }),
      np('a', 'allow-in', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }] }),
    ),
  );
  const v = k8sAllows(ps, inv, 'a/client', 'a/server', 80);
  assert.is(v.allowed, false);
  assert.equal(v.reasons.map((r) => [r.end, r.isolated, r.allowed]), [['egress', true, false], ['ingress', true, true]]);
  assert.equal(v.reasons[1]!.rule, { policy: 'a/allow-in', direction: 'ingress', rule: 0, peer: 0, port: null });
});

test('isolation is per direction: an Egress-only policy leaves ingress open', async () => {
  const { ps, inv } = await setup(docs(pod('a', 'x', { app: 'x' }), pod('a', 'y'), np('a', 'eg', { podSelector: {}, policyTypes: ['Egress'] })));
  assert.is(k8sAllows(ps, inv, 'a/y', 'a/x', 80).allowed, false, 'y cannot send (egress-isolated)');
  assert.is(k8sAllows(ps, inv, '10.1.2.3', 'a/x', 80).allowed, true, 'an outside address reaches x: only x\'s ingress counts');
  assert.is(k8sAllows(ps, inv, 'a/x', '10.1.2.3', 80).allowed, false);
});

test('any policy that selects the pod can allow (policies add up)', async () => {
  const { ps, inv } = await setup(
    docs(
      pod('a', 'db', { role: 'db' }), pod('a', 'p', { app: 'p' }), pod('a', 'q', { app: 'q' }),
      np('a', 'one', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'p' } } }] }] }),
      np('a', 'two', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'q' } } }] }] }),
    ),
  );
  assert.is(k8sAllows(ps, inv, 'a/p', 'a/db', 80).allowed, true);
  const q = k8sAllows(ps, inv, 'a/q', 'a/db', 80);
  assert.is(q.allowed, true);
  assert.is(q.reasons[1]!.message, 'a/db is ingress-isolated by a/one, a/two; a/two ingress rule 0 (peer 0, every port) allows a/q on TCP 80');
});

test('matchExpressions: In, NotIn (a pod without the key matches), Exists, DoesNotExist', async () => {
  const ingressFrom = (expr: object) => ({ podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: { matchExpressions: [expr] } }] }] });
  const pods = [pod('a', 'db', { role: 'db' }), pod('a', 'dev', { env: 'dev' }), pod('a', 'prod', { env: 'prod' }), pod('a', 'none')];
  const cases: [object, string[]][] = [
    [{ key: 'env', operator: 'In', values: ['dev', 'test'] }, ['a/dev']],
    [{ key: 'env', operator: 'NotIn', values: ['dev'] }, ['a/none', 'a/prod']],
    [{ key: 'env', operator: 'Exists' }, ['a/dev', 'a/prod']],
    [{ key: 'env', operator: 'DoesNotExist' }, ['a/none']],
  ];
  for (const [expr, allowed] of cases) {
    const { ps, inv } = await setup(docs(...pods, np('a', 'p', ingressFrom(expr))));
    const got = ['a/dev', 'a/none', 'a/prod'].filter((f) => k8sAllows(ps, inv, f, 'a/db', 80).allowed);
    assert.equal(got, allowed, JSON.stringify(expr));
  }
});

test('peers: podSelector alone = the policy\'s namespace; namespaceSelector alone = matching namespaces; both = AND', async () => {
  const base = [
    namespace('prod', { team: 'blue' }), namespace('dev', { team: 'red' }),
    pod('prod', 'db', { role: 'db' }), pod('prod', 'fe', { role: 'fe' }), pod('dev', 'fe', { role: 'fe' }), pod('dev', 'other'),
  ];
  const peerCases: [object, string[]][] = [
    [{ podSelector: { matchLabels: { role: 'fe' } } }, ['prod/fe']],
    [{ namespaceSelector: { matchLabels: { team: 'red' } } }, ['dev/fe', 'dev/other']],
    [{ namespaceSelector: { matchLabels: { team: 'red' } }, podSelector: { matchLabels: { role: 'fe' } } }, ['dev/fe']],
    [{ namespaceSelector: {} }, ['dev/fe', 'dev/other', 'prod/fe']],
    [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } } }, ['dev/fe', 'dev/other']],
  ];
  for (const [peer, allowed] of peerCases) {
    const { ps, inv } = await setup(docs(...base, np('prod', 'p', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [peer] }] })));
    const got = ['dev/fe', 'dev/other', 'prod/fe', '192.0.2.1'].filter((f) => k8sAllows(ps, inv, f, 'prod/db', 80).allowed);
    assert.equal(got, allowed, JSON.stringify(peer));
  }
});

test('ipBlock: cidr minus except, for outside addresses and for pods by their IP', async () => {
  const { ps, inv } = await setup(
    docs(
      pod('a', 'db', { role: 'db' }), pod('a', 'in', {}, { ip: '172.17.0.9' }), pod('a', 'ex', {}, { ip: '172.17.1.9' }),
      np('a', 'p', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }] }] }),
    ),
  );
  const got = ['172.17.0.0', '172.17.255.255', '172.17.1.0', '172.17.1.255', '172.18.0.1', 'a/in', 'a/ex'].map((f) => k8sAllows(ps, inv, f, 'a/db', 80).allowed);
  assert.equal(got, [true, true, false, false, false, true, false]);
});

test('ports: number, range (endPort), protocol, empty list = every port', async () => {
  const { ps, inv } = await setup(
    docs(
      pod('a', 'db', { role: 'db' }), pod('a', 'c'),
      np('a', 'p', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ ports: [{ port: 5432 }, { protocol: 'UDP', port: 9000, endPort: 9010 }] }] }),
      np('a', 'all', { podSelector: { matchLabels: { role: 'all' } }, ingress: [{}] }),
      pod('a', 'open', { role: 'all' }),
    ),
  );
  const probe = (port: number, proto: 'TCP' | 'UDP' | 'SCTP') => k8sAllows(ps, inv, 'a/c', 'a/db', port, proto).allowed;
  assert.equal([probe(5432, 'TCP'), probe(5432, 'UDP'), probe(9000, 'UDP'), probe(9010, 'UDP'), probe(9011, 'UDP'), probe(9005, 'TCP')], [true, false, true, true, false, false]);
  assert.is(k8sAllows(ps, inv, 'a/c', 'a/open', 1234, 'SCTP').allowed, true);
});

test('a named port matches the destination pod\'s container port of that name and protocol', async () => {
  const { ps, inv } = await setup(
    docs(
      pod('a', 'web1', { app: 'web' }, { ports: [{ name: 'http', port: 8080 }] }),
      pod('a', 'web2', { app: 'web' }, { ports: [{ name: 'http', port: 9090 }, { name: 'dns', port: 53, protocol: 'UDP' }] }),
      pod('a', 'c'),
      np('a', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 'http' }, { port: 'dns' }] }] }),
    ),
  );
  assert.is(k8sAllows(ps, inv, 'a/c', 'a/web1', 8080).allowed, true);
  assert.is(k8sAllows(ps, inv, 'a/c', 'a/web1', 9090).allowed, false);
  assert.is(k8sAllows(ps, inv, 'a/c', 'a/web2', 9090).allowed, true);
  assert.is(k8sAllows(ps, inv, 'a/c', 'a/web2', 53, 'UDP').allowed, false, 'policy port "dns" is TCP (the default), the container port UDP');
});

test('egress to a named port resolves against the destination pod', async () => {
  const { ps, inv } = await setup(
    docs(
      pod('a', 'web', { app: 'web' }, { ports: [{ name: 'http', port: 8080 }] }),
      pod('a', 'c', { app: 'c' }),
      np('a', 'p', { podSelector: { matchLabels: { app: 'c' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] }),
    ),
  );
  assert.is(k8sAllows(ps, inv, 'a/c', 'a/web', 8080).allowed, true);
  assert.is(k8sAllows(ps, inv, 'a/c', '10.9.9.9', 8080).allowed, false, 'an outside address declares no named port');
});

test.run();
