/** Decoding: type errors and unknown fields, for every kept kind. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALL_RULES } from '../../src/validate/rules/index.js';
import { check, FILE, policy } from './support.js';

test('numbers where strings belong are errors that say how to fix them', () => {
  const yaml = policy('  podSelector:\n    matchLabels: {version: 1.0, enabled: true}\n', '  name: 123\n');
  assert.equal(check(yaml, []), [
    `${FILE}:4:9: error: metadata.name: must be a string, not the number 123 (quote it to make it a string)`,
    `${FILE}:7:28: error: spec.podSelector.matchLabels.version: must be a string, not the number 1 (quote it to make it a string)`,
    `${FILE}:7:42: error: spec.podSelector.matchLabels.enabled: must be a string, not the boolean true (quote it to make it a string)`,
  ]);
});

test('YAML 1.1 booleans (yes, on, y) are booleans, as kubectl reads them: a label value must be quoted', () => {
  const yaml = policy('  podSelector:\n    matchLabels: {a: yes, b: on, c: "yes", d: no-way}\n');
  assert.equal(check(yaml, []), [
    `${FILE}:8:22: error: spec.podSelector.matchLabels.a: must be a string, not the boolean true (quote it to make it a string)`,
    `${FILE}:8:30: error: spec.podSelector.matchLabels.b: must be a string, not the boolean true (quote it to make it a string)`,
  ]);
});

test('strings where integers belong, and fractions, are errors', () => {
  const yaml = policy('  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 80, endPort: "90"}\n    - port: 80.5\n');
  assert.equal(check(yaml, []), [
    `${FILE}:10:27: error: spec.ingress[0].ports[0].endPort: must be an integer, not the string "90"`,
    `${FILE}:11:13: error: spec.ingress[0].ports[1].port: must be an integer or a string, not the number 80.5`,
  ]);
});

test('a mapping where a list belongs, and the reverse', () => {
  const yaml = policy('  podSelector: []\n  ingress:\n    from: {}\n');
  assert.equal(check(yaml, []), [
    `${FILE}:7:16: error: spec.podSelector: must be a mapping, not a list`,
    `${FILE}:9:5: error: spec.ingress: must be a list, not a mapping`,
  ]);
});

test('a value dropped for its type is not reported again by the rules', () => {
  // Without the suppression, the peer would also "must specify a peer".
  const yaml = policy('  podSelector: {}\n  ingress:\n  - from:\n    - podSelector: yes-please\n');
  assert.equal(check(yaml, ALL_RULES), [`${FILE}:10:20: error: spec.ingress[0].from[0].podSelector: must be a mapping, not the string "yes-please"`]);
});

test('unknown fields are warnings at the key, in every NetworkPolicy struct', () => {
  const yaml = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: p
  labelz: {}
spec:
  podSelector:
    matchLabel: {}
  ingress:
  - form: []
    ports:
    - prot: TCP
  egress:
  - to:
    - ipBlock: {cidr: 10.0.0.0/8, exept: []}
status: {}
`;
  const unknown = (line: number, col: number, field: string, name: string): string =>
    `${FILE}:${line}:${col}: warning: ${field}: unknown field "${name}" (kubectl apply --validate=strict rejects it; the API server drops it)`;
  assert.equal(check(yaml, []), [
    unknown(5, 3, 'metadata.labelz', 'labelz'),
    unknown(8, 5, 'spec.podSelector.matchLabel', 'matchLabel'),
    unknown(10, 5, 'spec.ingress[0].form', 'form'),
    unknown(12, 7, 'spec.ingress[0].ports[0].prot', 'prot'),
    unknown(15, 35, 'spec.egress[0].to[0].ipBlock.exept', 'exept'),
    unknown(16, 1, 'status', 'status'),
  ]);
});

test('workloads: only the parts the tool reads are judged', () => {
  const yaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations: {a: b}
spec:
  replicas: 3
  strategy: {type: RollingUpdate}
  template:
    metadata:
      labels: {app: web}
    spec:
      nodeSelector: {disk: ssd}
      containers:
      - name: web
        image: nginx
        ports:
        - {containerPort: "80", hostPorts: 1}
status: {replicas: 3}
`;
  assert.equal(check(yaml, []), [
    `${FILE}:18:27: error: spec.template.spec.containers[0].ports[0].containerPort: must be an integer, not the string "80"`,
    `${FILE}:18:33: warning: spec.template.spec.containers[0].ports[0].hostPorts: unknown field "hostPorts" (kubectl apply --validate=strict rejects it; the API server drops it)`,
  ]);
});

test('a null list item is the zero value, as Go decodes it', () => {
  const yaml = policy('  podSelector: {}\n  ingress:\n  - null\n  policyTypes: [null]\n');
  assert.equal(check(yaml, ALL_RULES), [`${FILE}:10:17: error: spec.policyTypes[0]: unsupported value "": supported values: "Ingress", "Egress"`]);
});

test.run();
