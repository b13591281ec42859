/**
 * The construction of mode `exact`: one ordered rule list whose first match, evaluated by Contrail,
 * is exactly Kubernetes' verdict.
 *
 * WHY IT IS EXACT
 *
 * Kubernetes allows A -> B on port P iff E and I, where E = (A is not egress-isolated, or an egress
 * grant of a policy selecting A admits B:P) and I = (B is not ingress-isolated, or an ingress grant
 * of a policy selecting B admits A:P). An outside address has no side: E (or I) is true for it.
 * EI is the union of the selections of policies with Egress, II of those with Ingress.
 *
 * Evaluation at both ends composes to AND because there is only one list: every pod is bound to the
 * one application policy set (by `application=<cluster>` and by every `namespace=<ns>` tag, so a pod
 * label `application` cannot unbind it), so sender and receiver evaluate the same rules in the same
 * order against the same (A, B, P) and reach the same first match. The list itself must therefore
 * compute E AND I. A flow to or from an outside address is evaluated at the pod's end only, with the
 * same list. A flow lies in exactly one of four regions, and each is decided only by rules meant for
 * it:
 *
 * (1) pass (both): every rule here passes only flows that Kubernetes allows:
 *     - products: for an egress grant (own S_e, peer D_e, ports V_e) and an ingress grant (own S_i,
 *       peer D_i, ports V_i): S_e ∩ D_i -> D_e ∩ S_i on V_e ∩ V_i. Its flows have E (the egress grant
 *       admits them) and I (the ingress grant admits them).
 *     - grants exact on their own: an egress grant all of whose ingress-isolated receivers always
 *       admit its senders on its ports (for every ingress selection w meeting D_e, one ingress grant
 *       covers D_e ∩ w, its peer covers S_e, its ports cover V_e); symmetrically an ingress grant.
 *       Outside addresses never isolate, so an ipBlock grant that holds no pod is exact on its own.
 *     A product of a grant that is exact on its own passes a subset of that grant: it is left out.
 * (2) deny EI -> II (pairs of isolated selections). Region (A in EI, B in II): E and I both need a
 *     grant; if both exist, some product or exact grant of (1) matches. So (1) passes exactly the
 *     allowed flows of the region and (2) denies the rest. Only the passes of (3) could reach the
 *     region after (2) ((4) denies every A in EI before (5) and (7)), so a pair is kept only when a
 *     grant of (3) can meet it; a deny may name any larger set that stays inside EI x II.
 * (3) pass: the egress grants that are not exact on their own. Region (A in EI, B not in II): I is
 *     true, the verdict is E. No earlier rule matches it except passes that Kubernetes allows
 *     (products need B in II, (2) needs B in II); every egress grant is in (1) or (3).
 * (4) deny EI -> any: the rest of that region (and of the one before).
 * (5) pass: the ingress grants that are not exact on their own. Region (A not in EI, B in II): the
 *     verdict is I. Rules (1)-(4) whose senders lie in EI cannot match; the exact ones are correct.
 * (6) deny any -> II.
 * (7) pass any -> any: region (A not in EI, B not in II), which Kubernetes allows. One rule instead
 *     of CN2's two per namespace: it also admits pods of namespaces the repository does not list,
 *     which no policy isolates.
 *
 * Every set above is written in tags as a union of terms that selects exactly the Kubernetes set
 * (selectors.ts); intersections of terms are tag unions, and a term no pod can carry is dropped.
 * Every pod is the tag `application=<cluster>` plus each `application` label pods carry (never an
 * address group of the pod network, which would also match outside addresses inside it).
 * ipBlock peers are address groups, which match pods by address too. Towards pods, one that holds
 * every pod address (say 0.0.0.0/0) is the empty term; one that holds none is outside addresses
 * only; one that holds only pods with a known `status.podIP` is the terms that name those pods;
 * one that holds pods tags cannot name cannot be AND-ed with a selection (an endpoint is tags or
 * an address group, not both), so it is taken as outside addresses where that is needed, with a
 * warning: there Contrail may deny what Kubernetes allows, never the reverse.
 *
 * Rules that cannot decide a flow are dropped (simplify.ts): a rule an earlier one covers is never
 * a first match, and a deny whose flows a later deny covers, with no pass between that could meet
 * them, changes nothing (those flows reach the later deny).
 */
import { cmp } from '../../diagnostics.js';
import { policyKey, type NetworkPolicy } from '../../model/policy.js';
import type { Action, RuleSource } from '../../snapshot/model.js';
import { ANY_PARTY, type Grant, type Party, partyCoversPods, partyKey, podsAtLeast, podsAtMost, podsParty } from './grants.js';
import { safeName, selectionLabel } from './names.js';
import type { Reporter } from './report.js';
import { ANY_SVC, type Svc, svcCovers, svcIntersect, svcLabel } from './services.js';
import { absorb, namespaceOf, Term } from './terms.js';
import type { Universe } from './universe.js';

/** The firewall policies of the list, in evaluation order. */
export const SECTIONS = ['both', 'isolated-pairs', 'egress', 'egress-isolation', 'ingress', 'ingress-isolation', 'allow-all'] as const;
export type Section = (typeof SECTIONS)[number];

export interface DraftRule {
  readonly section: Section;
  readonly action: Action;
  /** endpoint_1: the initiator. */
  readonly src: Party;
  /** endpoint_2: the responder. */
  readonly dst: Party;
  readonly service: Svc;
  /** Before collisions are resolved (names.ts). */
  readonly name: string;
  readonly source?: RuleSource;
}

/** A policy's selection, for the isolation sets. */
export interface Selection {
  readonly policy: NetworkPolicy;
  readonly terms: readonly Term[];
}

export interface ConstructionInput {
  readonly grants: readonly Grant[];
  readonly selections: readonly Selection[];
  readonly universe: Universe;
  readonly reporter: Reporter;
}

/** Items by the namespace of their term (every selection term names one); `all` for a term that names none. */
interface ByNamespace<T> {
  readonly byNs: ReadonlyMap<string, readonly T[]>;
  readonly all: readonly T[];
}

function byNamespace<T>(items: readonly T[], term: (x: T) => Term): ByNamespace<T> {
  const byNs = new Map<string, T[]>();
  for (const x of items) {
    const ns = namespaceOf(term(x)) ?? '';
    const list = byNs.get(ns);
    if (list) list.push(x);
    else byNs.set(ns, [x]);
  }
  return { byNs, all: items };
}

/** Candidates whose term can meet `t`: those of t's namespace (and those that name none), or all when `t` names none. */
function candidates<T>(index: ByNamespace<T>, t: Term): readonly T[] {
  const ns = namespaceOf(t);
  if (ns === undefined) return index.all;
  const own = index.byNs.get(ns) ?? [];
  const open = index.byNs.get('') ?? [];
  return open.length === 0 ? own : [...own, ...open];
}

// ---------------------------------------------------------------------------------------------

export function construct(input: ConstructionInput): DraftRule[] {
  const { grants, selections, universe, reporter } = input;
  const egress = grants.filter((g) => g.direction === 'egress');
  const ingress = grants.filter((g) => g.direction === 'ingress');
  const egressSelections = selections.filter((s) => s.policy.policyTypes.includes('Egress'));
  const ingressSelections = selections.filter((s) => s.policy.policyTypes.includes('Ingress'));
  const egressTerms = egressSelections.flatMap((s) => s.terms);
  const ingressTerms = ingressSelections.flatMap((s) => s.terms);
  const egressByNs = byNamespace(egress, (g) => g.own);
  const ingressByNs = byNamespace(ingress, (g) => g.own);
  const egressTermsByNs = byNamespace(absorb(egressTerms), (t) => t);
  const ingressTermsByNs = byNamespace(absorb(ingressTerms), (t) => t);

  /** The grant's every flow has the other side's consent too (see the header). */
  const exactOnItsOwn = (g: Grant): boolean => {
    const others = g.direction === 'egress' ? ingressByNs : egressByNs;
    const isolated = g.direction === 'egress' ? ingressTermsByNs : egressTermsByNs;
    for (const pods of podsAtMost(g.peer)) {
      for (const w of candidates(isolated, pods)) {
        const x = universe.intersect(pods, w);
        if (!x) continue;
        const consent = candidates(others, x).some((o) => o.own.covers(x) && partyCoversPods(o.peer, g.own) && svcCovers(o.service, g.service));
        if (!consent) return false;
      }
    }
    return true;
  };

  const exact = new Set(grants.filter(exactOnItsOwn));
  const restEgress = egress.filter((g) => !exact.has(g));
  const restIngress = ingress.filter((g) => !exact.has(g));
  for (const g of [...restEgress, ...restIngress]) warnPartialBlock(g, reporter, universe);

  const rules: DraftRule[] = [];
  for (const g of grants) if (exact.has(g)) rules.push(grantRule('both', g));

  // (1) products of the grants that are not exact on their own.
  // Ingress grants by their selected pods, so that each receiver set is intersected once per selection.
  const bySelection = new Map<string, { own: Term; grants: Grant[] }>();
  for (const gi of restIngress) {
    const group = bySelection.get(gi.own.key);
    if (group) group.grants.push(gi);
    else bySelection.set(gi.own.key, { own: gi.own, grants: [gi] });
  }
  const selectionsByNs = byNamespace([...bySelection.values()], (x) => x.own);
  for (const ge of restEgress) {
    for (const receivers of podsAtLeast(ge.peer)) {
      for (const group of candidates(selectionsByNs, receivers)) {
        const dst = universe.intersect(receivers, group.own);
        if (!dst) continue;
        for (const gi of group.grants) {
          const service = svcIntersect(ge.service, gi.service);
          if (!service) continue;
          for (const senders of podsAtLeast(gi.peer)) {
            const src = universe.intersect(ge.own, senders);
            if (!src) continue;
            rules.push({
              section: 'both',
              action: 'pass',
              src: podsParty(src),
              dst: podsParty(dst),
              service,
              name: productName(ge, gi, service),
              source: { policy: policyKey(gi.policy), direction: 'ingress', origin: gi.origin },
            });
          }
        }
      }
    }
  }

  // (2) deny isolated -> isolated, where a pass of (3) could otherwise reach.
  const egressIsolated = absorb(egressTerms);
  const ingressIsolated = absorb(ingressTerms);
  const restEgressByNs = byNamespace(restEgress, (g) => g.own);
  const isolatedByNs = byNamespace(ingressIsolated.map((term, index) => ({ term, index })), (x) => x.term);
  /** The ingress-isolated terms a grant's receivers can meet, by index (per distinct peer). */
  const reachCache = new Map<string, readonly number[]>();
  const reach = (g: Grant): readonly number[] => {
    const key = partyKey(g.peer);
    let found = reachCache.get(key);
    if (!found) {
      const hit = new Set<number>();
      for (const receivers of podsAtMost(g.peer)) {
        for (const w of candidates(isolatedByNs, receivers)) if (universe.intersect(receivers, w.term)) hit.add(w.index);
      }
      found = [...hit].sort((a, b) => a - b);
      reachCache.set(key, found);
    }
    return found;
  };
  const egressOwner = owners(egressSelections);
  const ingressOwner = owners(ingressSelections);
  for (const u of egressIsolated) {
    const reached = new Set<number>();
    for (const g of candidates(restEgressByNs, u)) if (universe.intersect(g.own, u)) for (const i of reach(g)) reached.add(i);
    for (const i of [...reached].sort((a, b) => a - b)) {
      const w = ingressIsolated[i]!;
      rules.push({
        section: 'isolated-pairs',
        action: 'deny',
        src: podsParty(u),
        dst: podsParty(w),
        service: ANY_SVC,
        name: safeName(`exact-deny-${selectionLabel(u)}-to-${selectionLabel(w)}`),
        source: { policy: egressOwner.get(u.key)!, direction: 'egress' },
      });
    }
  }

  // (3) egress grants, (4) egress isolation.
  for (const g of restEgress) rules.push(grantRule('egress', g));
  for (const u of egressIsolated) {
    rules.push({
      section: 'egress-isolation',
      action: 'deny',
      src: podsParty(u),
      dst: ANY_PARTY,
      service: ANY_SVC,
      name: safeName(`exact-deny-egress-from-${selectionLabel(u)}`),
      source: { policy: egressOwner.get(u.key)!, direction: 'egress' },
    });
  }

  // (5) ingress grants, (6) ingress isolation.
  for (const g of restIngress) rules.push(grantRule('ingress', g));
  for (const w of ingressIsolated) {
    rules.push({
      section: 'ingress-isolation',
      action: 'deny',
      src: ANY_PARTY,
      dst: podsParty(w),
      service: ANY_SVC,
      name: safeName(`exact-deny-ingress-to-${selectionLabel(w)}`),
      source: { policy: ingressOwner.get(w.key)!, direction: 'ingress' },
    });
  }

  // (7) everything no policy isolates.
  rules.push({ section: 'allow-all', action: 'pass', src: ANY_PARTY, dst: ANY_PARTY, service: ANY_SVC, name: 'exact-allow-all' });
  return rules;
}

/** For each selection term, the first policy (by namespace/name) that has it: who a merged deny stands for. */
function owners(selections: readonly Selection[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const s of selections) {
    const key = policyKey(s.policy);
    for (const t of s.terms) {
      const had = m.get(t.key);
      if (had === undefined || cmp(key, had) < 0) m.set(t.key, key);
    }
  }
  return m;
}

function grantPrefix(g: Grant): string {
  const sel = g.selectionLabel !== undefined ? `-${g.selectionLabel}` : '';
  return `${g.policy.namespace}-${g.policy.name}${sel}`;
}

function grantName(g: Grant): string {
  const peer = g.direction === 'egress' ? `egress-to-${g.peerLabel}` : `ingress-from-${g.peerLabel}`;
  return safeName(`exact-${grantPrefix(g)}-${peer}-${g.serviceLabel}`);
}

function productName(ge: Grant, gi: Grant, service: Svc): string {
  return safeName(`exact-${grantPrefix(ge)}-egress-to-${ge.peerLabel}-and-${grantPrefix(gi)}-ingress-from-${gi.peerLabel}-${svcLabel(service)}`);
}

function grantRule(section: Section, g: Grant): DraftRule {
  const egress = g.direction === 'egress';
  return {
    section,
    action: 'pass',
    src: egress ? podsParty(g.own) : g.peer,
    dst: egress ? g.peer : podsParty(g.own),
    service: g.service,
    name: grantName(g),
    source: { policy: policyKey(g.policy), direction: g.direction, origin: g.origin },
  };
}

/** A grant that needs the other side's consent, through an address group that holds pods tags cannot name. */
function warnPartialBlock(g: Grant, reporter: Reporter, universe: Universe): void {
  if (g.peer.kind !== 'block' || g.peer.block.pods.kind !== 'unknown') return;
  const side = g.direction === 'egress' ? 'receivers that isolate their ingress' : 'senders that isolate their egress';
  reporter.warn(
    'ipblock-overlaps-pods',
    g.policy,
    g.origin,
    `ipBlock ${g.peer.block.name} holds part of the pod network ${universe.podCIDR} and must be combined with the policies of ${side}: Contrail cannot AND an address group with tags, so mode exact takes it as addresses outside the cluster there, and such pods inside it are denied where Kubernetes may allow them; name those pods with a pod or namespace selector instead`,
  );
}
