/**
 * Minimal repositories on which the property test (property.test.ts, scripts/exact-proof.mjs) once
 * found mode exact and Kubernetes to disagree, each kept as a named case.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agrees, check, describe } from './generate.js';

function regression(name: string, inventoryComplete: boolean, yaml: string): void {
  test(name, async () => {
    const o = await check(yaml, inventoryComplete);
    assert.is(o.kind, 'verified', o.kind === 'refused' ? o.errors.join('\n') : '');
    assert.ok(agrees(o), describe(o));
  });
}

regression(
  'two pods claim one status.podIP: the address group of an ipBlock holding it cannot stand for either pod',
  false,
  `apiVersion: v1
kind: Pod
metadata: {name: pod0, namespace: ns3}
spec: {containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: pod1, namespace: ns3, labels: {app: c}}
spec: {containers: [{name: c, image: busybox}]}
status: {podIP: 192.168.1.10}
---
apiVersion: v1
kind: Pod
metadata: {name: pod2, namespace: ns1}
spec: {containers: [{name: c, image: busybox}]}
status: {podIP: 192.168.1.10}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np0, namespace: ns3}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: c}}}, {ipBlock: {cidr: 192.168.0.0/16}}]
`,
);

regression(
  'a pod whose status.podIP another pod claims may sit at that address or in the pod network: an ipBlock of the pod network cannot stand for it',
  false,
  `apiVersion: v1
kind: Pod
metadata: {name: pod0, namespace: ns2, labels: {tier: x}}
spec: {containers: [{name: c, image: busybox}]}
status: {podIP: 192.168.1.12}
---
apiVersion: v1
kind: Pod
metadata: {name: pod1, namespace: ns2}
spec: {containers: [{name: c, image: busybox}]}
status: {podIP: 192.168.1.12}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np0, namespace: ns2}
spec:
  podSelector: {}
  policyTypes: [Egress, Ingress]
  ingress: [{}]
  egress:
  - to: [{ipBlock: {cidr: 10.244.0.0/16}}]
`,
);

test.run();
