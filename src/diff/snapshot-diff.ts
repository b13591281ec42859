/**
 * The structural diff of two snapshots: rules per firewall policy (see rules.ts), tags, address
 * groups prefix by prefix, firewall policies added or removed, and the order of firewall policies
 * in each application policy set. Behaviour (which flows change) is connectivity.ts's job; this
 * module says what changed in the configuration and keeps the rule pairings it found so that an
 * order change can be tested on its own.
 */
import { cmp } from '../diagnostics.js';
import type { ApplicationPolicySet, FirewallRule, Snapshot } from '../snapshot/model.js';
import { diffPlacedRules, movedPairs, placedRules, type RuleMatching, UNREFERENCED, unreferencedRules } from './rules.js';
import { type AddressGroupsDiff, type FirewallPolicyDiff, type PolicySetDiff, prefixString } from './types.js';

export interface SnapshotDiff {
  readonly firewallPolicies: readonly FirewallPolicyDiff[];
  readonly unreferencedRules: FirewallPolicyDiff | null;
  readonly tags: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly addressGroups: AddressGroupsDiff;
  readonly policySets: readonly PolicySetDiff[];
  /** The rule pairings of every firewall policy present on both sides, by name (for order tests). */
  readonly matchings: ReadonlyMap<string, RuleMatching>;
}

const byName = <T extends { name: string }>(xs: readonly T[]): Map<string, T> => new Map(xs.map((x) => [x.name, x]));

function sortedUnion(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort(cmp);
}

export function diffSnapshots(base: Snapshot, head: Snapshot): SnapshotDiff {
  const baseRules = byName<FirewallRule>(base.rules);
  const headRules = byName<FirewallRule>(head.rules);
  const baseFps = byName(base.policies);
  const headFps = byName(head.policies);

  const firewallPolicies: FirewallPolicyDiff[] = [];
  const matchings = new Map<string, RuleMatching>();
  for (const name of sortedUnion(baseFps.keys(), headFps.keys())) {
    const b = baseFps.get(name);
    const h = headFps.get(name);
    const result = diffPlacedRules(
      name,
      b && placedRules(b, baseRules),
      h && placedRules(h, headRules),
      h?.policy ?? b?.policy,
    );
    if (!result) continue;
    firewallPolicies.push(result.diff);
    if (b && h) matchings.set(name, result.matching);
  }
  const unreferenced = diffPlacedRules(UNREFERENCED, unreferencedRules(base), unreferencedRules(head), undefined);

  return {
    firewallPolicies,
    unreferencedRules: unreferenced && { ...unreferenced.diff, moved: [], resequenced: 0 },
    tags: diffNames(
      base.tags.map((t) => t.name),
      head.tags.map((t) => t.name),
    ),
    addressGroups: diffAddressGroups(base, head),
    policySets: diffPolicySets(base.policySets, head.policySets),
    matchings,
  };
}

function diffNames(base: readonly string[], head: readonly string[]): { added: string[]; removed: string[] } {
  const b = new Set(base);
  const h = new Set(head);
  return {
    added: [...h].filter((n) => !b.has(n)).sort(cmp),
    removed: [...b].filter((n) => !h.has(n)).sort(cmp),
  };
}

function diffAddressGroups(base: Snapshot, head: Snapshot): AddressGroupsDiff {
  const b = byName(base.addressGroups);
  const h = byName(head.addressGroups);
  const view = (name: string, prefixes: readonly { ip: string; len: number }[]) => ({
    name,
    prefixes: prefixes.map(prefixString),
  });
  const added = [];
  const removed = [];
  const changed = [];
  for (const name of sortedUnion(b.keys(), h.keys())) {
    const old = b.get(name);
    const cur = h.get(name);
    if (!old && cur) added.push(view(name, cur.prefixes));
    else if (old && !cur) removed.push(view(name, old.prefixes));
    else if (old && cur) {
      const d = diffNames(old.prefixes.map(prefixString), cur.prefixes.map(prefixString));
      if (d.added.length || d.removed.length) changed.push({ name, prefixesAdded: d.added, prefixesRemoved: d.removed });
    }
  }
  return { added, removed, changed };
}

/** Firewall policy names of a set, in evaluation order. */
export function policyOrder(set: ApplicationPolicySet): string[] {
  return [...set.policies].sort((a, b) => cmp(a.sequence, b.sequence) || cmp(a.name, b.name)).map((r) => r.name);
}

function diffPolicySets(base: readonly ApplicationPolicySet[], head: readonly ApplicationPolicySet[]): PolicySetDiff[] {
  const b = byName(base);
  const h = byName(head);
  const out: PolicySetDiff[] = [];
  for (const name of sortedUnion(b.keys(), h.keys())) {
    const oldOrder = b.has(name) ? policyOrder(b.get(name)!) : [];
    const newOrder = h.has(name) ? policyOrder(h.get(name)!) : [];
    const names = diffNames(oldOrder, newOrder);
    const oldIndex = new Map(oldOrder.map((n, i) => [n, i]));
    const common = newOrder
      .map((n, i) => ({ name: n, base: { index: oldIndex.get(n) ?? -1 }, head: { index: i } }))
      .filter((p) => p.base.index >= 0);
    const moved = b.has(name) && h.has(name) ? movedPairs(common).map((p) => ({ name: p.name, fromIndex: p.base.index, toIndex: p.head.index })) : [];
    const status = !b.has(name) ? 'added' : !h.has(name) ? 'removed' : 'changed';
    if (status === 'changed' && !names.added.length && !names.removed.length && !moved.length) continue;
    out.push({
      name,
      status,
      firewallPoliciesAdded: names.added,
      firewallPoliciesRemoved: names.removed,
      moved,
      orderChangesBehaviour: null,
    });
  }
  return out;
}
