/**
 * `verify --mode exact --strict` through the library: the bundled policies and generated
 * repositories (scripts/generate.mjs's generator, in memory) compile in mode exact and Contrail
 * enforces exactly what Kubernetes specifies on every probe, with fewer rules than mode cn2.
 */
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostic } from '../../../src/diagnostics.js';
import { readPolicySet } from '../../../src/frontend.js';
import { fsSource } from '../../../src/load/fs-source.js';
import { memorySource } from '../../../src/load/memory-source.js';
import type { PolicySet } from '../../../src/model/policy.js';
// @ts-expect-error: a JavaScript module without types (the repository generator of scripts/generate.mjs)
import { generateFiles } from '../../../scripts/lib/policy-repo/index.mjs';
import { lower, verifyExact } from './support.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function check(ps: PolicySet, inventoryComplete: boolean): { exact: number; cn2: number } {
  const r = lower(ps, 'exact', { inventoryComplete });
  assert.equal(r.diagnostics.map(formatDiagnostic), []);
  const v = verifyExact(ps, r.snapshot!);
  assert.ok(v.probes > 0);
  assert.is(v.divergent, 0, v.groups.map((g) => `${g.cause} x${g.count}: ${g.example.from} -> ${g.example.to} ${g.example.protocol} ${g.example.port}`).join('\n'));
  return { exact: r.snapshot!.rules.length, cn2: lower(ps, 'cn2').snapshot!.rules.length };
}

test('the bundled policies: no divergence, and fewer rules than mode cn2', async () => {
  const fe = await readPolicySet(fsSource(ROOT), 'policies');
  assert.equal(fe.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), []);
  const n = check(fe.policySet, false);
  assert.ok(n.exact < n.cn2, `exact ${n.exact}, cn2 ${n.cn2}`);
});

for (const seed of ['1', '2']) {
  test(`a generated repository (seed ${seed}, 80 policies, both revisions): no divergence, at most 0.7 times the rules of mode cn2`, async () => {
    const files = generateFiles({ namespaces: 5, policies: 80, pods: 160, seed, changePercent: 10 }) as {
      base: Map<string, string>;
      head: Map<string, string>;
    };
    for (const revision of [files.base, files.head]) {
      const fe = await readPolicySet(memorySource(Object.fromEntries(revision)), 'policies');
      assert.equal(fe.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), []);
      // The generator lists every namespace and workload, and its policies use NotIn and Exists.
      const n = check(fe.policySet, true);
      assert.ok(n.exact <= 0.7 * n.cn2, `exact ${n.exact}, cn2 ${n.cn2}`);
    }
  });
}

test.run();
