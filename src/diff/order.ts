/**
 * Counterfactual snapshots for order changes: the head, with the relative order of one firewall
 * policy's rules (or of one policy set's firewall policies) put back as on the base. Under first
 * match an order change matters only if it changes a verdict, so the simulator compares the head
 * with this counterfactual: same verdicts, the move is cosmetic.
 */
import { cmp } from '../diagnostics.js';
import type { Snapshot } from '../snapshot/model.js';
import type { RuleMatching } from './rules.js';

interface Ordered {
  readonly name: string;
  /** Place on the head side. */
  readonly headIndex: number;
  /** Place on the base side; undefined for what the head added. */
  readonly baseIndex?: number;
}

/**
 * Names in base relative order; what only the head has stays right after the element that
 * precedes it on the head side (so additions keep their neighbourhood).
 */
function baseRelativeOrder(items: readonly Ordered[]): string[] {
  const inHeadOrder = [...items].sort((a, b) => a.headIndex - b.headIndex);
  let anchor = -1;
  const keyed = inHeadOrder.map((it) => {
    if (it.baseIndex !== undefined) anchor = it.baseIndex;
    return { name: it.name, primary: it.baseIndex ?? anchor, secondary: it.baseIndex === undefined ? 1 : 0, headIndex: it.headIndex };
  });
  keyed.sort((a, b) => a.primary - b.primary || a.secondary - b.secondary || a.headIndex - b.headIndex);
  return keyed.map((k) => k.name);
}

/** Gives `names` the sequence strings that `sequences` held, in order. */
function resequence(names: readonly string[], sequences: readonly string[]): { name: string; sequence: string }[] {
  const sorted = [...sequences].sort(cmp);
  return names.map((name, i) => ({ name, sequence: sorted[i] }));
}

export function withBaseRuleOrder(head: Snapshot, firewallPolicy: string, matching: RuleMatching): Snapshot {
  const fp = head.policies.find((p) => p.name === firewallPolicy);
  if (!fp) return head;
  const baseIndexOf = new Map(matching.pairs.map((p) => [p.head.rule.name, p.base.index]));
  const headIndexOf = new Map([...matching.pairs.map((p) => p.head), ...matching.added].map((h) => [h.rule.name, h.index]));
  const items: Ordered[] = fp.rules
    .filter((r) => headIndexOf.has(r.name))
    .map((r) => ({ name: r.name, headIndex: headIndexOf.get(r.name)!, baseIndex: baseIndexOf.get(r.name) }));
  const rules = resequence(
    baseRelativeOrder(items),
    items.map((i) => fp.rules.find((r) => r.name === i.name)!.sequence),
  );
  return { ...head, policies: head.policies.map((p) => (p === fp ? { ...fp, rules } : p)) };
}

export function withBasePolicyOrder(head: Snapshot, policySet: string, baseOrder: readonly string[]): Snapshot {
  const set = head.policySets.find((s) => s.name === policySet);
  if (!set) return head;
  const baseIndex = new Map(baseOrder.map((n, i) => [n, i]));
  const inHeadOrder = [...set.policies].sort((a, b) => cmp(a.sequence, b.sequence) || cmp(a.name, b.name));
  const items: Ordered[] = inHeadOrder.map((r, i) => ({ name: r.name, headIndex: i, baseIndex: baseIndex.get(r.name) }));
  const policies = resequence(
    baseRelativeOrder(items),
    inHeadOrder.map((r) => r.sequence),
  );
  return { ...head, policySets: head.policySets.map((s) => (s === set ? { ...set, policies } : s)) };
}
