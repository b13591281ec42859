/** The compiler's mode registry: compile() dispatches by mode; mode cn2 is always there. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile, lowerings } from '../../../src/compile/index.js';
import { DEFAULT_CONFIG } from '../../../src/config/types.js';

test('every registered lowering is registered under its own mode, cn2 among them', () => {
  assert.ok(lowerings.cn2);
  for (const [mode, lowering] of Object.entries(lowerings)) assert.equal(lowering?.mode, mode);
});

test('compile() runs the lowering of the requested mode with its options', () => {
  const empty = { policies: [], namespaces: [], workloads: [] };
  const { snapshot, diagnostics } = compile(empty, { ...DEFAULT_CONFIG, mode: 'cn2', cluster: 'c1', generator: 'gen 1' });
  assert.equal(diagnostics, []);
  assert.equal([snapshot?.mode, snapshot?.cluster, snapshot?.generator], ['cn2', 'c1', 'gen 1']);
  assert.equal(snapshot?.policies.map((p) => p.name), ['c1-Ingress', 'c1-allowall', 'c1-denyall']);
  assert.equal(snapshot?.tags.map((t) => t.name), ['application=c1']);
});

test.run();
