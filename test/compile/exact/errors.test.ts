/**
 * What Contrail tags cannot express is a compile error of mode exact: file, line, column, field,
 * the policy, why, and the nearest form that can be expressed. No snapshot comes with errors, and
 * one run reports every error.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exact, exactErrors } from './support.js';

test('every error of a policy at once, each at its field, with the reason and what to write instead', async () => {
  const errors = await exactErrors(`apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {App: web, tier: front}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web2, namespace: shop, labels: {App: web, tier: front}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 9090}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad, namespace: shop}
spec:
  podSelector:
    matchLabels: {team: shop}
  ingress:
  - from:
    - podSelector:
        matchExpressions:
        - {key: tier, operator: NotIn, values: [front]}
    - namespaceSelector:
        matchExpressions:
        - {key: env, operator: Exists}
    - podSelector: {matchLabels: {app: web}}
    - podSelector: {matchLabels: {application: k8s}}
    ports:
    - {port: http}
    - {port: grpc}
`);
  assert.equal(errors, [
    `policies/test.yaml:20:25: error: spec.podSelector.matchLabels.team: NetworkPolicy shop/bad: namespace shop has the label team=shop, which Contrail puts on every pod in it in place of the pod's own "team" label, so a pod selector on "team" cannot be expressed there; select the pods by a key their namespace does not carry`,
    `policies/test.yaml:25:33: error: spec.ingress[0].from[0].podSelector.matchExpressions[0].operator: NetworkPolicy shop/bad: NotIn cannot be written with Contrail tags: an endpoint only matches pods that carry given tags, and "tier NotIn [front]" speaks of an open set of label values; write the values you mean with In, or set inventoryComplete: true in contrail-gitops.yaml to resolve it against the labels the manifests list`,
    `policies/test.yaml:28:32: error: spec.ingress[0].from[1].namespaceSelector.matchExpressions[0].operator: NetworkPolicy shop/bad: Exists cannot be written with Contrail tags: an endpoint only matches pods of namespaces that carry given tags, and "env Exists" speaks of an open set of label values; write the values you mean with In, or set inventoryComplete: true in contrail-gitops.yaml to resolve it against the labels the manifests list`,
    `policies/test.yaml:29:40: error: spec.ingress[0].from[2].podSelector.matchLabels.app: NetworkPolicy shop/bad: the label keys "app" and "App" (in the manifests) are one Contrail tag type, app (tag types are lower-cased and / is written __slash__), so a tag cannot tell them apart; spell the key one way in labels and selectors`,
    `policies/test.yaml:30:48: error: spec.ingress[0].from[3].podSelector.matchLabels.application: NetworkPolicy shop/bad: every pod without an application label carries the tag application=k8s (the cluster's), so application=k8s would select those pods too; use another value or key`,
    `policies/test.yaml:32:7: error: spec.ingress[0].ports[0]: NetworkPolicy shop/bad: Pod shop/web and Pod shop/web2 carry the same tags, but for port "http" Pod shop/web declares it as 8080 and Pod shop/web2 declares it as 9090: Contrail tags cannot tell their pods apart, so no rule can give each its own port number; write the port number, or give the workloads a label that tells them apart`,
    `policies/test.yaml:33:7: error: spec.ingress[0].ports[1]: NetworkPolicy shop/bad: no workload in the manifests declares a TCP container port named "grpc", so it cannot be resolved to a port number for Contrail; write the port number, or add the manifest of the workload that declares it`,
  ]);
});

test('NotIn and Exists: the suggestion lists the values the manifests give the key', async () => {
  const errors = await exactErrors(`apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop, labels: {tier: front}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: shop, labels: {tier: back}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: shop, labels: {tier: batch}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector:
    matchExpressions: [{key: tier, operator: Exists}]
  ingress:
  - from:
    - podSelector:
        matchExpressions: [{key: tier, operator: NotIn, values: [front]}]
    - podSelector:
        matchExpressions: [{key: tier, operator: DoesNotExist}]
`);
  assert.equal(errors, [
    `policies/test.yaml:21:46: error: spec.podSelector.matchExpressions[0].operator: NetworkPolicy shop/p: Exists cannot be written with Contrail tags: an endpoint only matches pods that carry given tags, and "tier Exists" speaks of an open set of label values; write the values you mean with In ("operator: In, values: [back, batch, front]" lists every value the manifests give tier), or set inventoryComplete: true in contrail-gitops.yaml to resolve it against the labels the manifests list`,
    `policies/test.yaml:25:50: error: spec.ingress[0].from[0].podSelector.matchExpressions[0].operator: NetworkPolicy shop/p: NotIn cannot be written with Contrail tags: an endpoint only matches pods that carry given tags, and "tier NotIn [front]" speaks of an open set of label values; write the values you mean with In ("operator: In, values: [back, batch]" lists the other values the manifests give tier, and leaves out pods without it), or set inventoryComplete: true in contrail-gitops.yaml to resolve it against the labels the manifests list`,
    `policies/test.yaml:27:50: error: spec.ingress[0].from[1].podSelector.matchExpressions[0].operator: NetworkPolicy shop/p: DoesNotExist cannot be written with Contrail tags: an endpoint only matches pods that carry given tags, and "tier DoesNotExist" speaks of an open set of label values; select the pods by a label they carry instead, or set inventoryComplete: true in contrail-gitops.yaml to resolve it against the labels the manifests list`,
  ]);
});

test('with inventoryComplete, a selection tags cannot tell from another workload is still refused', async () => {
  const errors = await exactErrors(
    `apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: canary, namespace: shop, labels: {app: web, canary: "true"}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector:
    matchExpressions: [{key: canary, operator: DoesNotExist}]
  ingress: [{}]
`,
    { inventoryComplete: true },
  );
  assert.equal(errors, [
    `policies/test.yaml:16:5: error: spec.podSelector: NetworkPolicy shop/p: Pod shop/canary carries every tag of Pod shop/plain and also canary=true, which this selector excludes: Contrail tags cannot select Pod shop/plain without Pod shop/canary; give the workloads a label that tells them apart, or select with In`,
  ]);
});

test('a label that becomes the tag type namespace, on a namespace or a pod, is refused at the label', async () => {
  const errors = await exactErrors(`apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {namespace: prod}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, Namespace: x}}
    spec: {containers: [{name: c, image: x}]}
`);
  assert.equal(errors, [
    'policies/test.yaml:3:44: error: metadata.labels.namespace: Namespace shop has the label "namespace", which becomes the tag namespace=<value> in Contrail and replaces the tag namespace=<its namespace> that mode exact selects pods by; rename the label',
    'policies/test.yaml:11:46: error: spec.template.metadata.labels.Namespace: Deployment shop/web has the label "Namespace", which becomes the tag namespace=<value> in Contrail and replaces the tag namespace=<its namespace> that mode exact selects pods by; rename the label',
  ]);
});

test('a named port that only pods outside the rule declare allows nothing, as in Kubernetes: a warning, not an error', async () => {
  const s = await exact(`apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - ports: [{port: http}]
`);
  assert.equal(
    s.findings.map((f) => `${f.severity} ${f.kind} ${f.policy}: ${f.message}`),
    ['warning named-port-unresolved shop/db: none of the pods this policy selects in the manifests declares a TCP container port named "http": as in Kubernetes, this port entry allows nothing'],
  );
  assert.not.ok(s.rules.some((r) => r.name.includes('http')));
});

test.run();
