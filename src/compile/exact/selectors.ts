/**
 * Label selectors as tag terms: the pods a policy selects, and the pods a peer stands for, each
 * written as a union of tag conjunctions whose Contrail match is exactly the Kubernetes selection.
 *
 * - `matchLabels` and `In` are conjunctions of tags; `In` with several values is one term per value.
 * - `NotIn`, `Exists`, `DoesNotExist` ask for a label to be absent or to have any value of an open
 *   set: no conjunction of tags says that. An error, unless the configuration says the manifests
 *   list every workload (`inventoryComplete`): then `Exists` and the positive part of `NotIn` are
 *   the values the manifests give the key, and "key absent" is met by adding, per selected
 *   workload, tags it carries that the excluded workloads do not (an error when there are none).
 * - A namespace's labels are tags on its pods and win over the pod's own: a pod selector on a key
 *   the namespace carries cannot be expressed (error). A namespace selector on a key that pods also
 *   carry would match those pods too, so it is resolved to the matching namespaces' `namespace=`
 *   tags instead (as is every namespace selector with a `NotIn` / `Exists` / `DoesNotExist`, under
 *   `inventoryComplete`).
 */
import { cmp } from '../../diagnostics.js';
import type { LabelRequirement, LabelSelector, NetworkPolicy, PolicyPeer } from '../../model/policy.js';
import { at, type Origin } from '../../model/source.js';
import type { Reporter } from './report.js';
import { absorb, Term } from './terms.js';
import { type KnownNamespace, type KnownPod, tagPair, tagType, type Universe } from './universe.js';

export interface SelectorContext {
  readonly universe: Universe;
  readonly reporter: Reporter;
  readonly inventoryComplete: boolean;
  readonly policy: NetworkPolicy;
}

/** Kubernetes' label-selector semantics (for namespaces and known pods). */
export function selectorMatches(sel: LabelSelector, labels: ReadonlyMap<string, string>): boolean {
  for (const [k, v] of sel.matchLabels) if (labels.get(k) !== v) return false;
  for (const r of sel.matchExpressions) {
    const v = labels.get(r.key);
    const ok =
      r.operator === 'In' ? v !== undefined && r.values.includes(v)
      : r.operator === 'NotIn' ? v === undefined || !r.values.includes(v)
      : r.operator === 'Exists' ? v !== undefined
      : v === undefined;
    if (!ok) return false;
  }
  return true;
}

/** A selector's content as text (for memoising what depends on it only). */
const selectorKey = (sel: LabelSelector): string =>
  JSON.stringify([sel.matchLabels, sel.matchExpressions.map((r) => [r.key, r.operator, r.values])]);

const isEmptySelector = (sel: LabelSelector): boolean => sel.matchLabels.length === 0 && sel.matchExpressions.length === 0;

/** Tags every selected pod carries, tag types it must not carry; `inventory`: made from the manifests' values. */
interface Conjunction {
  readonly tags: Term;
  readonly absent: readonly string[];
  readonly inventory: boolean;
}

/** One way to meet a requirement: a tag, or the absence of a tag type. */
type Alternative = { readonly pair: readonly [string, string]; readonly inventory: boolean } | { readonly absent: string };

/** More alternatives than this (a product of many `In` lists) is refused rather than written out. */
const MAX_CONJUNCTIONS = 4096;

/** The pods the policy selects: `namespace=<ns>` and the pod selector. Undefined after an error. */
export function selectionTerms(ctx: SelectorContext): Term[] | undefined {
  const np = ctx.policy;
  const ns = ctx.universe.namespaces.get(np.namespace)!;
  const conj = podConjunctions(np.podSelector, [ns], Term.of([['namespace', np.namespace]])!, ctx);
  return conj && realize(conj, ctx, np.podSelector.origin);
}

/** The pods a peer without ipBlock stands for. Undefined after an error. */
export function peerTerms(peer: PolicyPeer, ctx: SelectorContext): Term[] | undefined {
  const np = ctx.policy;
  const { universe } = ctx;
  if (!peer.namespaceSelector) {
    const ns = universe.namespaces.get(np.namespace)!;
    const sel = peer.podSelector!;
    const conj = podConjunctions(sel, [ns], Term.of([['namespace', np.namespace]])!, ctx);
    return conj && realize(conj, ctx, sel.origin);
  }
  const nsTerms = namespaceTerms(peer.namespaceSelector, ctx);
  if (!peer.podSelector) return nsTerms;
  const nsSel = peer.namespaceSelector;
  const scope = universe.remember(`namespaces:${selectorKey(nsSel)}`, () => [...universe.namespaces.values()].filter((ns) => selectorMatches(nsSel, ns.labels)));
  const podConj = podConjunctions(peer.podSelector, scope, Term.EVERY_POD, ctx);
  if (!nsTerms || !podConj) return undefined;
  const combined: Conjunction[] = [];
  for (const n of nsTerms) {
    for (const c of podConj) {
      const tags = universe.intersect(n, c.tags);
      if (tags) combined.push({ ...c, tags });
    }
  }
  return realize(combined, ctx, peer.podSelector.origin);
}

/** Pods in the namespaces a namespace selector selects. */
function namespaceTerms(sel: LabelSelector, ctx: SelectorContext): Term[] | undefined {
  const { universe } = ctx;
  if (isEmptySelector(sel)) return [Term.EVERY_POD];
  const namespaces = [...universe.namespaces.values()];
  const open = sel.matchExpressions.filter((r) => r.operator !== 'In');
  if (open.length > 0 && !ctx.inventoryComplete) {
    for (const r of open) openSetError(r, ctx, namespaces.map((ns) => ns.labels), 'namespaces');
    return undefined;
  }
  const named = (keep: (ns: KnownNamespace) => boolean): Term[] => namespaces.filter(keep).map((ns) => Term.of([['namespace', ns.name]])!);
  const keys = [...sel.matchLabels.map(([k]) => k), ...sel.matchExpressions.map((r) => r.key)];
  if (keys.some((k) => universe.spoofableTypes.has(tagType(k)) || universe.collidingKeys(k).length > 0)) {
    return named((ns) => selectorMatches(sel, ns.labels));
  }
  // The namespaces' labels are tags on their pods. Exists and the rest of a NotIn are the values the
  // namespaces give the key (inventoryComplete); a namespace without the key is named by its own tag.
  const labels = namespaces.map((ns) => ns.labels);
  const alternatives: Alternative[][] = [
    ...sel.matchLabels.map(([k, v]) => [{ pair: tagPair(k, v), inventory: false }]),
    ...sel.matchExpressions.map((r): Alternative[] => {
      const known = r.operator === 'In' ? [] : knownValues(labels, r.key);
      const values = (vs: readonly string[], inventory: boolean) => vs.map((v) => ({ pair: tagPair(r.key, v), inventory }));
      switch (r.operator) {
        case 'In':
          return values(r.values, false);
        case 'Exists':
          return values(known, true);
        case 'NotIn':
          return [...values(known.filter((v) => !r.values.includes(v)), true), { absent: tagType(r.key) }];
        case 'DoesNotExist':
          return [{ absent: tagType(r.key) }];
      }
    }),
  ];
  const conj = cross(alternatives, Term.EVERY_POD, sel.origin, ctx);
  if (!conj) return undefined;
  const labelled = (c: Conjunction) => (ns: KnownNamespace) => c.tags.covers(ns.tags) && c.absent.every((t) => ns.tags.get(t) === undefined);
  const terms = conj.flatMap((c) => {
    if (c.absent.length > 0) return named(labelled(c));
    return !c.inventory || namespaces.some(labelled(c)) ? [c.tags] : [];
  });
  return absorb(terms.filter((t) => universe.possible(t)));
}

/**
 * The conjunctions of a pod selector over pods of `scope` (the namespaces they live in), each
 * AND-ed with `base`. Undefined after an error.
 */
function podConjunctions(sel: LabelSelector, scope: readonly KnownNamespace[], base: Term, ctx: SelectorContext): Conjunction[] | undefined {
  let ok = true;
  for (const [k, v] of sel.matchLabels) ok = checkPodKey(k, [v], at(sel.origin, 'matchLabels', k), scope, ctx) && ok;
  for (const r of sel.matchExpressions) ok = checkPodKey(r.key, r.operator === 'In' ? r.values : [], at(r.origin, 'key'), scope, ctx) && ok;
  const alternatives: Alternative[][] = sel.matchLabels.map(([k, v]) => [{ pair: tagPair(k, v), inventory: false }]);
  for (const r of sel.matchExpressions) {
    const alt = requirementAlternatives(r, scope, ctx);
    if (alt) alternatives.push(alt);
    else ok = false;
  }
  if (!ok) return undefined;
  return cross(alternatives, base, sel.origin, ctx);
}

function requirementAlternatives(r: LabelRequirement, scope: readonly KnownNamespace[], ctx: SelectorContext): Alternative[] | undefined {
  const t = tagType(r.key);
  if (r.operator === 'In') return r.values.map((v) => ({ pair: tagPair(r.key, v), inventory: false }));
  const podLabels = podsIn(scope, ctx).map((p) => p.labels);
  if (!ctx.inventoryComplete) {
    openSetError(r, ctx, podLabels, 'pods');
    return undefined;
  }
  const known = knownValues(podLabels, r.key);
  switch (r.operator) {
    case 'Exists':
      return known.map((v) => ({ pair: tagPair(r.key, v), inventory: true }));
    case 'NotIn':
      return [...known.filter((v) => !r.values.includes(v)).map((v) => ({ pair: tagPair(r.key, v), inventory: true })), { absent: t }];
    case 'DoesNotExist':
      return [{ absent: t }];
  }
}

const podsIn = (scope: readonly KnownNamespace[], ctx: SelectorContext): KnownPod[] => {
  const names = new Set(scope.map((ns) => ns.name));
  return ctx.universe.pods.filter((p) => names.has(p.workload.namespace));
};

const knownValues = (labels: readonly ReadonlyMap<string, string>[], key: string): string[] =>
  [...new Set(labels.flatMap((l) => (l.has(key) ? [l.get(key)!] : [])))].sort(cmp);

/** Every combination of one alternative per requirement, AND-ed with `base`; contradictions dropped. */
function cross(alternatives: readonly Alternative[][], base: Term, origin: Origin, ctx: SelectorContext): Conjunction[] | undefined {
  let out: Conjunction[] = [{ tags: base, absent: [], inventory: false }];
  for (const options of alternatives) {
    const next: Conjunction[] = [];
    for (const c of out) {
      for (const a of options) {
        if ('absent' in a) {
          if (c.tags.get(a.absent) === undefined) next.push({ ...c, absent: [...c.absent, a.absent] });
          continue;
        }
        if (c.absent.includes(a.pair[0])) continue;
        const tags = c.tags.with(a.pair[0], a.pair[1]);
        if (tags) next.push({ tags, absent: c.absent, inventory: c.inventory || a.inventory });
      }
    }
    if (next.length > MAX_CONJUNCTIONS) {
      ctx.reporter.error(
        ctx.policy,
        origin,
        `this selector expands to more than ${MAX_CONJUNCTIONS} tag combinations (one per combination of In values), too many firewall rules to write; split the policy or select with fewer values`,
      );
      return undefined;
    }
    out = next;
  }
  return out;
}

/**
 * Conjunctions as tag terms. A conjunction with absent tag types is met per known workload it
 * selects: its tags, plus as many of the workload's own tags as it takes to leave out every known
 * workload that carries an absent type.
 */
function realize(conjunctions: readonly Conjunction[], ctx: SelectorContext, origin: Origin): Term[] | undefined {
  const { universe } = ctx;
  const terms: Term[] = [];
  let ok = true;
  for (const c of conjunctions) {
    if (!universe.possible(c.tags)) continue;
    if (c.absent.length === 0) {
      if (!c.inventory || universe.podsOf(c.tags).length > 0) terms.push(c.tags);
      continue;
    }
    const pods = universe.podsOf(c.tags);
    const has = (p: KnownPod) => c.absent.some((t) => p.tags.get(t) !== undefined);
    const excluded = pods.filter(has);
    for (const pod of pods.filter((p) => !has(p))) {
      const r = refine(c.tags, pod, excluded);
      if ('term' in r) {
        terms.push(r.term);
        continue;
      }
      ok = false;
      const key = c.absent.find((t) => r.blocker.tags.get(t) !== undefined)!;
      ctx.reporter.error(
        ctx.policy,
        origin,
        `${r.blocker.ref} carries every tag of ${pod.ref} and also ${key}=${r.blocker.tags.get(key)}, which this selector excludes: Contrail tags cannot select ${pod.ref} without ${r.blocker.ref}; give the workloads a label that tells them apart, or select with In`,
      );
    }
  }
  return ok ? absorb(terms) : undefined;
}

/**
 * `base` narrowed with tags of `pod` (in tag-type order, each only if it leaves out one more of
 * `others`) until no pod of `others` matches; `blocker` when the pod's own tags cannot do it.
 */
export function refine(base: Term, pod: KnownPod, others: readonly KnownPod[]): { term: Term } | { blocker: KnownPod } {
  let term = base;
  let matching = others.filter((o) => term.covers(o.tags));
  for (const [t, v] of pod.tags.entries) {
    if (matching.length === 0) break;
    if (term.get(t) !== undefined) continue;
    const next = term.with(t, v)!;
    const still = matching.filter((o) => next.covers(o.tags));
    if (still.length < matching.length) {
      term = next;
      matching = still;
    }
  }
  return matching.length === 0 ? { term } : { blocker: matching[0]! };
}

/** Keys a pod selector cannot use as a tag. */
function checkPodKey(key: string, values: readonly string[], origin: Origin, scope: readonly KnownNamespace[], ctx: SelectorContext): boolean {
  const { universe, reporter, policy } = ctx;
  const t = tagType(key);
  let ok = true;
  if (t === 'namespace') {
    reporter.error(
      policy,
      origin,
      `the label key "${key}" is the tag type namespace, which Contrail gives every pod for its namespace (a pod label of that key replaces it), so no tag selects it; select the pods by another label`,
    );
    return false;
  }
  const colliding = universe.collidingKeys(key);
  if (colliding.length > 0) {
    ok = false;
    reporter.error(
      policy,
      origin,
      `the label keys "${key}" and "${colliding.join('", "')}" (in the manifests) are one Contrail tag type, ${t} (tag types are lower-cased and / is written __slash__), so a tag cannot tell them apart; spell the key one way in labels and selectors`,
    );
  }
  const inScope = new Set(scope.map((ns) => ns.name));
  const overriding = universe.namespacesCarrying(t).filter((ns) => inScope.has(ns.name));
  if (overriding.length > 0) {
    ok = false;
    const first = overriding[0]!;
    const nsKey = [...first.labels.keys()].find((k) => tagType(k) === t)!;
    const which =
      overriding.length === 1
        ? `namespace ${first.name} has the label ${nsKey}=${first.labels.get(nsKey)}, which Contrail puts on every pod in it`
        : `namespaces ${overriding.slice(0, 3).map((ns) => ns.name).join(', ')}${overriding.length > 3 ? ` and ${overriding.length - 3} more` : ''} have a label ${nsKey}, which Contrail puts on every pod in them`;
    reporter.error(
      policy,
      origin,
      `${which} in place of the pod's own "${key}" label, so a pod selector on "${key}" cannot be expressed there; select the pods by a key their namespace does not carry`,
    );
  }
  if (t === 'application' && values.includes(universe.cluster)) {
    ok = false;
    reporter.error(
      policy,
      origin,
      `every pod without an application label carries the tag application=${universe.cluster} (the cluster's), so application=${universe.cluster} would select those pods too; use another value or key`,
    );
  }
  return ok;
}

/** NotIn / Exists / DoesNotExist without `inventoryComplete`: the error, with the nearest form tags can say. */
function openSetError(r: LabelRequirement, ctx: SelectorContext, labels: readonly ReadonlyMap<string, string>[], what: 'pods' | 'namespaces'): void {
  const known = knownValues(labels, r.key);
  const quote = (vs: readonly string[]) => `[${vs.join(', ')}]`;
  let suggestion: string;
  if (r.operator === 'DoesNotExist') {
    suggestion = `select the ${what} by a label they carry instead`;
  } else {
    const rest = r.operator === 'NotIn' ? known.filter((v) => !r.values.includes(v)) : known;
    const which = r.operator === 'NotIn' ? `the other values the manifests give ${r.key}, and leaves out ${what} without it` : `every value the manifests give ${r.key}`;
    suggestion = rest.length > 0 ? `write the values you mean with In ("operator: In, values: ${quote(rest)}" lists ${which})` : `write the values you mean with In`;
  }
  ctx.reporter.error(
    ctx.policy,
    at(r.origin, 'operator'),
    `${r.operator} cannot be written with Contrail tags: an endpoint only matches ${what === 'pods' ? 'pods' : 'pods of namespaces'} that carry given tags, and "${r.key} ${r.operator}${r.values.length ? ` ${quote(r.values)}` : ''}" speaks of an open set of label values; ${suggestion}, or set inventoryComplete: true in contrail-gitops.yaml to resolve it against the labels the manifests list`,
  );
}
