/**
 * The rule diff: firewall rules matched by what they are, not by name. CN2 names a rule by its
 * position in the NetworkPolicy (`NS-ingress-NP-0-podSelector-1-0`), so inserting a rule renames
 * every rule after it; a name diff would report all of them as removed and added. Rules are
 * compared inside each firewall policy (the unit of first-match evaluation), in four passes:
 *
 *  1. same behaviour (owner, action, direction, endpoints, service): unchanged, or renamed;
 *  2. same owner and endpoints: the service or action changed (a port edit);
 *  3. same owner and name: an endpoint changed (a peer edit);
 *  4. same owner, same place in the NetworkPolicy (origin path) and action: e.g. an ipBlock cidr
 *     edit, which renames the rule and changes its address group at once.
 *
 * Each pass pairs rules in evaluation order, so duplicates pair first to first. What is left is
 * added or removed. Order is compared on the pairs: a rule that left the longest run of pairs in
 * the same relative order moved (renumbering alone is not a move).
 */
import { cmp } from '../diagnostics.js';
import { fieldPath, positionOf } from '../model/source.js';
import type { Endpoint, FirewallPolicy, FirewallRule, Service, Snapshot } from '../snapshot/model.js';
import { addressGroupName } from './format.js';
import type { FirewallPolicyDiff, MovedRule, RenamedRule, RuleChange, RuleField, RuleView } from './types.js';

/** A rule at its place in a firewall policy (or among the unreferenced rules). */
export interface PlacedRule {
  readonly rule: FirewallRule;
  readonly sequence: string;
  /** 0-based place in evaluation order. */
  readonly index: number;
}

export interface RulePair {
  readonly base: PlacedRule;
  readonly head: PlacedRule;
  /** `same`: identical behaviour (names may differ); `changed`: see `fields`. */
  readonly kind: 'same' | 'changed';
  readonly fields: readonly RuleField[];
}

export interface RuleMatching {
  readonly pairs: readonly RulePair[];
  readonly added: readonly PlacedRule[];
  readonly removed: readonly PlacedRule[];
}

/** The name the report gives the rules no firewall policy references. */
export const UNREFERENCED = '(unreferenced rules)';

const FULL_RANGE = { start: 0, end: 65535 };

export function endpointKey(e: Endpoint): string {
  if ('tags' in e) return `tags:${[...e.tags].sort(cmp).join('\u0000')}`;
  if ('addressGroup' in e) return `ag:${addressGroupName(e.addressGroup)}`;
  return 'any';
}

export function serviceKey(s: Service): string {
  const src = s.srcPorts ?? FULL_RANGE;
  return `${s.protocol}:${s.dstPorts.start}-${s.dstPorts.end}:${src.start}-${src.end}`;
}

const owner = (r: FirewallRule): string => r.source?.policy ?? '';

function behaviourKey(r: FirewallRule): string {
  return [owner(r), r.action, r.direction, endpointKey(r.endpoint1), endpointKey(r.endpoint2), serviceKey(r.service)].join('\u0001');
}

const endpointsKey = (r: FirewallRule): string =>
  [owner(r), r.direction, endpointKey(r.endpoint1), endpointKey(r.endpoint2)].join('\u0001');

const nameKey = (r: FirewallRule): string => `${owner(r)}\u0001${r.name}`;

function originKey(r: FirewallRule): string | undefined {
  const o = r.source?.origin;
  return o ? [owner(r), r.source?.direction ?? '', fieldPath(o.path), r.action].join('\u0001') : undefined;
}

/** Fields that differ, in the seed's Table 3 column order. */
export function changedFields(a: FirewallRule, b: FirewallRule): RuleField[] {
  const out: RuleField[] = [];
  if (a.name !== b.name) out.push('name');
  if (a.action !== b.action) out.push('action');
  if (serviceKey(a.service) !== serviceKey(b.service)) out.push('service');
  if (endpointKey(a.endpoint1) !== endpointKey(b.endpoint1)) out.push('endpoint1');
  if (a.direction !== b.direction) out.push('direction');
  if (endpointKey(a.endpoint2) !== endpointKey(b.endpoint2)) out.push('endpoint2');
  return out;
}

/** Pairs base and head rules of one firewall policy (both in evaluation order). */
export function matchRules(base: readonly PlacedRule[], head: readonly PlacedRule[]): RuleMatching {
  const pairs: RulePair[] = [];
  let restBase = [...base];
  let restHead = [...head];
  const passes: ((r: FirewallRule) => string | undefined)[] = [behaviourKey, endpointsKey, nameKey, originKey];
  for (const key of passes) {
    const queues = new Map<string, PlacedRule[]>();
    for (const b of restBase) {
      const k = key(b.rule);
      if (k === undefined) continue;
      const q = queues.get(k);
      if (q) q.push(b);
      else queues.set(k, [b]);
    }
    const pairedBase = new Set<PlacedRule>();
    const unpairedHead: PlacedRule[] = [];
    for (const h of restHead) {
      const k = key(h.rule);
      const b = k === undefined ? undefined : queues.get(k)?.shift();
      if (!b) {
        unpairedHead.push(h);
        continue;
      }
      pairedBase.add(b);
      const fields = changedFields(b.rule, h.rule);
      const kind = fields.every((f) => f === 'name') ? 'same' : 'changed';
      pairs.push({ base: b, head: h, kind, fields });
    }
    restBase = restBase.filter((b) => !pairedBase.has(b));
    restHead = unpairedHead;
  }
  pairs.sort((a, b) => a.head.index - b.head.index);
  return { pairs, added: restHead, removed: restBase };
}

/**
 * Pairs that changed place: those outside one longest run of pairs whose base places increase
 * along the head order (the fewest moves that explain the new order).
 */
export function movedPairs<P extends { base: { index: number }; head: { index: number } }>(pairs: readonly P[]): P[] {
  const inHeadOrder = [...pairs].sort((a, b) => a.head.index - b.head.index);
  const keep = longestIncreasing(inHeadOrder.map((p) => p.base.index));
  return inHeadOrder.filter((_, i) => !keep.has(i));
}

/** Indexes of one longest strictly increasing subsequence (patience sorting, O(n log n)). */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous: number[] = new Array(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]] < values[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = previous[i]) out.add(i);
  return out;
}

/** The rules of a firewall policy in evaluation order (sequence strings sort numerically). */
export function placedRules(fp: FirewallPolicy, rulesByName: ReadonlyMap<string, FirewallRule>): PlacedRule[] {
  const refs = [...fp.rules].sort((a, b) => cmp(a.sequence, b.sequence) || cmp(a.name, b.name));
  const out: PlacedRule[] = [];
  for (const ref of refs) {
    const rule = rulesByName.get(ref.name);
    // A dangling reference is the compiler's bug, not the reviewer's business: it cannot match anything.
    if (rule) out.push({ rule, sequence: ref.sequence, index: out.length });
  }
  return out;
}

/** Rules that no firewall policy references, by name. */
export function unreferencedRules(s: Snapshot): PlacedRule[] {
  const referenced = new Set(s.policies.flatMap((p) => p.rules.map((r) => r.name)));
  return s.rules
    .filter((r) => !referenced.has(r.name))
    .sort((a, b) => cmp(a.name, b.name))
    .map((rule, index) => ({ rule, sequence: '', index }));
}

export function ruleView(p: PlacedRule): RuleView {
  const r = p.rule;
  return {
    name: r.name,
    action: r.action,
    service: r.service,
    endpoint1: r.endpoint1,
    direction: r.direction,
    endpoint2: r.endpoint2,
    sequence: p.sequence,
    ...(r.source?.policy !== undefined ? { policy: r.source.policy } : {}),
    ...(r.source?.direction !== undefined ? { policyDirection: r.source.direction } : {}),
    ...(r.source?.origin ? { origin: positionOf(r.source.origin) } : {}),
  };
}

/** The diff of one firewall policy (or of the unreferenced rules), or null when nothing changed. */
export function diffPlacedRules(
  name: string,
  base: readonly PlacedRule[] | undefined,
  head: readonly PlacedRule[] | undefined,
  policy: string | undefined,
): { diff: FirewallPolicyDiff; matching: RuleMatching } | null {
  const matching = matchRules(base ?? [], head ?? []);
  const rules: RuleChange[] = [];
  for (const p of matching.pairs) {
    if (p.kind === 'changed') rules.push({ kind: 'changed', base: ruleView(p.base), head: ruleView(p.head), fields: p.fields });
  }
  for (const h of matching.added) rules.push({ kind: 'added', head: ruleView(h) });
  for (const b of matching.removed) rules.push({ kind: 'removed', base: ruleView(b) });
  rules.sort((a, b) => placeOf(a) - placeOf(b) || kindOrder(a) - kindOrder(b) || cmp(nameOf(a), nameOf(b)));
  const renamed: RenamedRule[] = matching.pairs
    .filter((p) => p.kind === 'same' && p.base.rule.name !== p.head.rule.name)
    .map((p) => ({ base: p.base.rule.name, head: p.head.rule.name, rule: ruleView(p.head) }));
  const moved: MovedRule[] =
    base && head
      ? movedPairs(matching.pairs).map((p) => ({ name: p.head.rule.name, fromIndex: p.base.index, toIndex: p.head.index }))
      : [];
  const movedNames = new Set(moved.map((m) => m.name));
  // Same rule, same name, same relative order, another sequence number: renumbered around an edit.
  const resequenced = matching.pairs.filter(
    (p) => p.kind === 'same' && p.base.rule.name === p.head.rule.name && p.base.sequence !== p.head.sequence && !movedNames.has(p.head.rule.name),
  ).length;
  const status = !base ? 'added' : !head ? 'removed' : 'changed';
  if (status === 'changed' && rules.length === 0 && renamed.length === 0 && moved.length === 0 && resequenced === 0) return null;
  return {
    diff: { name, status, ...(policy !== undefined ? { policy } : {}), rules, renamed, resequenced, moved, orderChangesBehaviour: null },
    matching,
  };
}

/** Removed rules sort at their base place, others at their head place, so the table reads top-down. */
function placeOf(c: RuleChange): number {
  return c.kind === 'removed' ? placeIndex(c.base) : placeIndex(c.head);
}
const placeIndex = (v: RuleView): number => (v.sequence === '' ? 0 : Number.parseFloat(v.sequence));
const KIND_ORDER = { removed: 0, changed: 1, added: 2 } as const;
const kindOrder = (c: RuleChange): number => KIND_ORDER[c.kind];
const nameOf = (c: RuleChange): string => (c.kind === 'removed' ? c.base.name : c.head.name);
