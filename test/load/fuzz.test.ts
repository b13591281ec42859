/** Garbage in, diagnostics out: never an exception, never a hang. */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostic } from '../../src/diagnostics.js';
import { readPolicySet } from '../../src/frontend.js';
import { memorySource } from '../../src/load/memory-source.js';

const VALID = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ns}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.1.0/24]}
    - namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [a]}]}
    ports: [{port: 80, endPort: 90}, {port: http, protocol: UDP}]
`;

/** Every diagnostic is a well-formed line about the file; the result never throws. */
async function frontEndOf(bytes: Buffer | string): Promise<void> {
  const r = await readPolicySet(memorySource({ 'policies/f.yaml': bytes }), 'policies');
  for (const d of r.diagnostics) {
    assert.is(d.file, 'policies/f.yaml');
    assert.ok(Number.isInteger(d.line) && d.line >= 0);
    assert.not.match(formatDiagnostic(d), /\n/);
  }
}

const yamlish = fc.array(
  fc.oneof(
    fc.constantFrom('{', '}', '[', ']', ':', '- ', '---\n', '\n', '  ', '&a ', '*a', '!!', '"', "'", '#', '|', '>', ',', '? ', '%YAML 1.2\n', '\t', '\\'),
    fc.constantFrom('apiVersion', 'kind', 'NetworkPolicy', 'spec', 'ingress', 'from', 'ipBlock', 'cidr', 'podSelector', 'null', '80', '1e9', 'List', 'items'),
    fc.string({ maxLength: 6 }),
  ),
  { maxLength: 60 },
);

test('random bytes only produce diagnostics', async () => {
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (b) => frontEndOf(Buffer.from(b))), { numRuns: 150, seed: 1 });
});

test('garbage YAML made of YAML punctuation and policy words only produces diagnostics', async () => {
  await fc.assert(fc.asyncProperty(yamlish, async (parts) => frontEndOf(parts.join(''))), { numRuns: 300, seed: 2 });
});

test('a valid policy cut or corrupted anywhere only produces diagnostics', async () => {
  await fc.assert(
    fc.asyncProperty(fc.nat(VALID.length), fc.nat(VALID.length), fc.string({ maxLength: 4 }), async (at, len, insert) =>
      frontEndOf(VALID.slice(0, at) + insert + VALID.slice(Math.min(VALID.length, at + (len % 8)))),
    ),
    { numRuns: 300, seed: 3 },
  );
});

test.run();
