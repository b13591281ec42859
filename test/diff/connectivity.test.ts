/**
 * The connectivity diff evaluates only the ends whose rules changed, row by row; it must say
 * exactly what evaluating every class pair, pair by pair, says (the `exhaustive` reference): the
 * same flows, grouped the same, decided by the same rules, and the same answer to "does this
 * order change alter a verdict". Checked on generated repositories (scripts/generate.mjs's
 * generator, in memory) in both modes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile/index.js';
import { DEFAULT_CONFIG } from '../../src/config/types.js';
import { ConnectivityComparer } from '../../src/diff/connectivity.js';
import { readPolicySet } from '../../src/frontend.js';
import { memorySource } from '../../src/load/memory-source.js';
import type { PolicySet } from '../../src/model/policy.js';
import { loweringOptions } from '../../src/pipeline.js';
import { buildInventory } from '../../src/simulate/inventory.js';
import type { Mode, Snapshot } from '../../src/snapshot/model.js';
// @ts-expect-error: a JavaScript module without types (the repository generator of scripts/generate.mjs)
import { generateFiles } from '../../scripts/lib/policy-repo/index.mjs';

interface Side {
  policySet: PolicySet;
  snapshot: Snapshot;
}

async function side(files: Map<string, string>, mode: Mode): Promise<Side> {
  const fe = await readPolicySet(memorySource(Object.fromEntries(files)), 'policies');
  const config = { ...DEFAULT_CONFIG, root: '/repo', mode, inventoryComplete: true };
  const snapshot = compile(fe.policySet, loweringOptions(config)).snapshot;
  assert.ok(snapshot);
  return { policySet: fe.policySet, snapshot: snapshot! };
}

/** The head with the rules of its longest firewall policy in reverse order. */
function reversed(s: Snapshot): Snapshot {
  const fp = [...s.policies].sort((a, b) => b.rules.length - a.rules.length)[0]!;
  const sequences = fp.rules.map((r) => r.sequence).reverse();
  return { ...s, policies: s.policies.map((p) => (p === fp ? { ...p, rules: p.rules.map((r, i) => ({ ...r, sequence: sequences[i]! })) } : p)) };
}

/** Deep equality, reported as the first differing line of the JSON (a full diff runs to thousands of lines). */
function same(actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual, null, 1).split('\n');
  const e = JSON.stringify(expected, null, 1).split('\n');
  const at = a.findIndex((line, i) => line !== e[i]);
  assert.ok(at < 0 && a.length === e.length, `differs at line ${at}: ${a[at]} instead of ${e[at]}`);
}

const cases: { seed: string; mode: Mode; policies: number; change: number }[] = [
  { seed: '1', mode: 'cn2', policies: 60, change: 10 },
  { seed: '2', mode: 'exact', policies: 60, change: 10 },
  { seed: '3', mode: 'cn2', policies: 40, change: 30 },
];

for (const c of cases) {
  test(`generated repository (seed ${c.seed}, mode ${c.mode}, ${c.change}% changed): the same report as evaluating every pair`, async () => {
    const files = generateFiles({ namespaces: 4, policies: c.policies, pods: 2 * c.policies, seed: c.seed, changePercent: c.change }) as {
      base: Map<string, string>;
      head: Map<string, string>;
    };
    const base = await side(files.base, c.mode);
    const head = await side(files.head, c.mode);
    const input = { basePolicySet: base.policySet, headPolicySet: head.policySet, inventory: buildInventory(head.policySet) };
    const fast = new ConnectivityComparer(input);
    const reference = new ConnectivityComparer({ ...input, exhaustive: true });

    const expected = reference.compare(base.snapshot, head.snapshot);
    assert.ok(expected.opened.length + expected.closed.length > 0, 'the change opens or closes flows');
    same(fast.compare(base.snapshot, head.snapshot), expected);
    // Either way round, and one snapshot against itself (only Kubernetes' verdicts change).
    same(fast.compare(head.snapshot, base.snapshot), reference.compare(head.snapshot, base.snapshot));
    const itself = fast.compare(head.snapshot, head.snapshot);
    assert.is(itself.opened.length + itself.closed.length, 0);
    same(itself, reference.compare(head.snapshot, head.snapshot));

    // Contrail's changes alone (Kubernetes' policies the same on both sides): no Kubernetes change hides a missed Contrail one.
    const contrailOnly = { ...input, basePolicySet: head.policySet };
    same(new ConnectivityComparer(contrailOnly).compare(base.snapshot, head.snapshot), new ConnectivityComparer({ ...contrailOnly, exhaustive: true }).compare(base.snapshot, head.snapshot));
    same(new ConnectivityComparer(contrailOnly).compare(head.snapshot, base.snapshot), new ConnectivityComparer({ ...contrailOnly, exhaustive: true }).compare(head.snapshot, base.snapshot));

    const turned = reversed(head.snapshot);
    for (const [a, b] of [[base.snapshot, head.snapshot], [head.snapshot, head.snapshot], [head.snapshot, turned]] as const) {
      assert.is(fast.sameVerdicts(a, b), reference.sameVerdicts(a, b));
    }
    assert.is(fast.sameVerdicts(base.snapshot, head.snapshot), false);
    assert.is(fast.sameVerdicts(head.snapshot, head.snapshot), true);
  });
}

test.run();
