/**
 * Grants: what each rule of each NetworkPolicy allows, one (selected pods, peer, service) triple per
 * firewall rule it needs. An egress grant lets `own` (a term of the policy's selection) open
 * connections to `peer`; an ingress grant lets `peer` open connections to `own`. The construction
 * (construct.ts) orders and combines them; nothing here decides order.
 *
 * Peers: the pod peers of a rule as tag terms (selectors.ts); its ipBlock peers together as one
 * address group holding `cidr` minus `except`, as prefixes; no peers is `any`. Named ports are
 * resolved per destination pod group from the workloads' container ports.
 */
import { cmp } from '../../diagnostics.js';
import type { NetworkPolicy, PolicyRule } from '../../model/policy.js';
import type { Origin } from '../../model/source.js';
import { safeName, termLabel } from './names.js';
import { type Cidr, cidrListText, cidrOf, cidrSetCovers, type Coverage, coverage, formatCidr, normalizeCidrs, subtractCidrs } from './prefixes.js';
import { peerTerms, refine, type SelectorContext } from './selectors.js';
import { type NamedPort, ruleServices, type Svc, svcLabel } from './services.js';
import { absorb, Term } from './terms.js';
import type { KnownPod, Universe } from './universe.js';

/**
 * The pods whose addresses an address group holds: every pod, none, the known pods that some terms
 * select exactly (pods with `status.podIP` inside it), or some pods that tags cannot name.
 */
export type BlockPods =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  | { readonly kind: 'some'; readonly terms: readonly Term[] }
  | { readonly kind: 'unknown' };

/** An address group's content, and the pods it holds. */
export interface Block {
  readonly name: string;
  /** Minimal prefix list, sorted. */
  readonly cidrs: readonly Cidr[];
  readonly pods: BlockPods;
}

/** One side of a firewall rule: pods by tags (the empty term: every pod), an address group, or anything. */
export type Party =
  | { readonly kind: 'pods'; readonly term: Term }
  | { readonly kind: 'block'; readonly block: Block }
  | { readonly kind: 'any' };

export const ANY_PARTY: Party = { kind: 'any' };

export const podsParty = (term: Term): Party => ({ kind: 'pods', term });

/** Identity of a party's content (two address groups with the same prefixes are one). */
export const partyKey = (p: Party): string =>
  p.kind === 'any' ? 'any' : p.kind === 'pods' ? `tags:${p.term.key}` : `ag:${cidrListText(p.block.cidrs)}`;

/** The pods a party may stand for, taking an address group that holds pods tags cannot name as holding all (for "is it covered"). */
export function podsAtMost(p: Party): readonly Term[] {
  if (p.kind === 'pods') return [p.term];
  if (p.kind === 'any') return [Term.EVERY_POD];
  const pods = p.block.pods;
  return pods.kind === 'some' ? pods.terms : pods.kind === 'none' ? [] : [Term.EVERY_POD];
}

/** The pods a party surely stands for, taking an address group that holds pods tags cannot name as holding none (for products). */
export function podsAtLeast(p: Party): readonly Term[] {
  if (p.kind === 'pods') return [p.term];
  if (p.kind === 'any') return [Term.EVERY_POD];
  const pods = p.block.pods;
  return pods.kind === 'some' ? pods.terms : pods.kind === 'all' ? [Term.EVERY_POD] : [];
}

/** Every pod of `t` belongs to the party. */
export function partyCoversPods(p: Party, t: Term): boolean {
  if (p.kind === 'any') return true;
  if (p.kind === 'pods') return p.term.covers(t);
  const pods = p.block.pods;
  return pods.kind === 'all' || (pods.kind === 'some' && pods.terms.some((x) => x.covers(t)));
}

export type Direction = 'ingress' | 'egress';

export interface Grant {
  readonly direction: Direction;
  readonly policy: NetworkPolicy;
  /** Selected pods: the sender of an egress grant, the receiver of an ingress grant. */
  readonly own: Term;
  /** The other end: the receiver of an egress grant, the sender of an ingress grant. */
  readonly peer: Party;
  readonly service: Svc;
  /** The rule of the NetworkPolicy. */
  readonly origin: Origin;
  /** Name parts: the selection term (only when the selection has several), the peer, the service. */
  readonly selectionLabel?: string;
  readonly peerLabel: string;
  readonly serviceLabel: string;
}

/** An ipBlock peer list as one address group: every `cidr` minus its `except`, as a minimal prefix list. */
export function blockOf(peers: readonly { cidr: string; except: readonly string[] }[], universe: Universe): Block | undefined {
  const cidrs = normalizeCidrs(peers.flatMap((p) => subtractCidrs(cidrOf(p.cidr), p.except.map(cidrOf))));
  if (cidrs.length === 0) return undefined;
  const parts = peers.map((p) => {
    const except = p.except.map((e) => formatCidr(cidrOf(e))).sort(cmp);
    const cidr = formatCidr(cidrOf(p.cidr));
    return except.length > 0 ? `${cidr}-except-${except.join('-')}` : cidr;
  });
  const name = safeName([...new Set(parts)].sort(cmp).join('+'));
  return { name, cidrs, pods: universe.remember(`block-pods:${cidrListText(cidrs)}`, () => blockPods(cidrs, universe)) };
}

/**
 * Which pods an address group holds. A pod with `status.podIP` is inside or not; the others take
 * an address somewhere in the pod network, so they are all inside, all outside, or unknown.
 */
export function blockPods(cidrs: readonly Cidr[], universe: Universe): BlockPods {
  const network: Coverage = coverage(cidrs, [universe.podNetwork]);
  const outsideOf = { all: false, none: true, partial: undefined }[network];
  if (universe.pods.length === 0) return network === 'all' ? { kind: 'all' } : network === 'none' ? { kind: 'none' } : { kind: 'unknown' };
  const inside: KnownPod[] = [];
  const outside: KnownPod[] = [];
  for (const pod of universe.pods) {
    // A pod whose address another pod claims too may have it, or one from the pod network.
    const contested = pod.contestedAddress && !cidrSetCovers(cidrs, [pod.contestedAddress]) !== outsideOf ? undefined : outsideOf;
    const out = pod.address ? !cidrSetCovers(cidrs, [pod.address]) : contested;
    if (out === undefined) return { kind: 'unknown' };
    (out ? outside : inside).push(pod);
  }
  if (inside.length === 0) return { kind: 'none' };
  if (outside.length === 0 && network === 'all') return { kind: 'all' };
  const terms: Term[] = [];
  for (const pod of inside) {
    const r = refine(Term.of([['namespace', pod.workload.namespace]])!, pod, outside);
    if (!('term' in r)) return { kind: 'unknown' };
    terms.push(r.term);
  }
  return { kind: 'some', terms: absorb(terms) };
}

interface LabelledParty {
  readonly party: Party;
  readonly label: string;
}

function peerParties(rule: PolicyRule, ctx: SelectorContext): LabelledParty[] | undefined {
  if (rule.peers.length === 0) return [{ party: ANY_PARTY, label: 'any' }];
  const terms: Term[] = [];
  let ok = true;
  for (const peer of rule.peers) {
    if (peer.ipBlock) continue;
    const t = peerTerms(peer, ctx);
    if (t) terms.push(...t);
    else ok = false;
  }
  if (!ok) return undefined;
  const out: LabelledParty[] = absorb(terms).map((term) => ({ party: podsParty(term), label: termLabel(term, ctx.policy.namespace) }));
  const blocks = rule.peers.flatMap((p) => (p.ipBlock ? [p.ipBlock] : []));
  const block = blocks.length > 0 ? blockOf(blocks, ctx.universe) : undefined;
  if (block) out.push({ party: { kind: 'block', block }, label: block.name });
  return out;
}

/** Every grant of a policy, given the terms of its selection. Errors go to the reporter. */
export function policyGrants(selection: readonly Term[], ctx: SelectorContext): Grant[] {
  const np = ctx.policy;
  const grants: Grant[] = [];
  for (const type of np.policyTypes) {
    const direction: Direction = type === 'Ingress' ? 'ingress' : 'egress';
    for (const rule of direction === 'ingress' ? np.ingress : np.egress) {
      // After an error in the peers, an ingress rule's named ports are still checked (they do not depend on them).
      const found = peerParties(rule, ctx);
      if (!found && direction === 'egress') continue;
      const parties = found ?? [];
      const { services, named } = ruleServices(rule.ports);
      const resolved = new Set<NamedPort>();
      for (const own of selection) {
        const base = {
          direction,
          policy: np,
          origin: rule.origin,
          ...(selection.length > 1 ? { selectionLabel: termLabel(own, np.namespace) } : {}),
        };
        for (const p of parties) {
          for (const service of services) grants.push({ ...base, own, peer: p.party, service, peerLabel: p.label, serviceLabel: svcLabel(service) });
        }
        for (const n of named) {
          const label = (port: number) => `${n.protocol}-${n.name}-${port}`;
          if (direction === 'ingress') {
            for (const { term, port } of resolveNamedPort(n, own, ctx)) {
              resolved.add(n);
              // Pods told apart by their own tags are named by them.
              const narrowed = term.key !== own.key ? { selectionLabel: termLabel(term, np.namespace) } : {};
              for (const p of parties) {
                grants.push({ ...base, ...narrowed, own: term, peer: p.party, service: portService(n, port), peerLabel: p.label, serviceLabel: label(port) });
              }
            }
            continue;
          }
          for (const p of parties) {
            for (const dest of namedPortDestinations(p.party, n, ctx)) {
              for (const { term, port } of resolveNamedPort(n, dest, ctx)) {
                resolved.add(n);
                const peerLabel = term.key !== dest.key || p.party.kind !== 'pods' ? termLabel(term, np.namespace) : p.label;
                grants.push({ ...base, own, peer: podsParty(term), service: portService(n, port), peerLabel, serviceLabel: label(port) });
              }
            }
          }
        }
      }
      for (const n of named) {
        if (resolved.has(n)) continue;
        const declared = ctx.universe.pods.some((p) => p.ports.some((cp) => cp.name === n.name && cp.protocol.toLowerCase() === n.protocol));
        const what = direction === 'ingress' ? 'pods this policy selects' : 'pods of this rule\'s peers';
        if (declared) {
          ctx.reporter.warn(
            'named-port-unresolved',
            np,
            n.entry.origin,
            `none of the ${what} in the manifests declares a ${n.protocol.toUpperCase()} container port named "${n.name}": as in Kubernetes, this port entry allows nothing`,
          );
          continue;
        }
        ctx.reporter.error(
          np,
          n.entry.origin,
          `no workload in the manifests declares a ${n.protocol.toUpperCase()} container port named "${n.name}", so it cannot be resolved to a port number for Contrail; write the port number, or add the manifest of the workload that declares it`,
        );
      }
    }
  }
  return grants;
}

const portService = (n: NamedPort, port: number): Svc => ({ protocol: n.protocol, start: port, end: port });

/** The pods a named port of an egress rule is looked up on: the peer's pods (outside addresses have no named ports). */
function namedPortDestinations(party: Party, n: NamedPort, ctx: SelectorContext): readonly Term[] {
  if (party.kind === 'pods') return [party.term];
  if (party.kind === 'any') return [Term.EVERY_POD];
  const pods = party.block.pods;
  if (pods.kind === 'all') return [Term.EVERY_POD];
  if (pods.kind === 'some') return pods.terms;
  if (pods.kind === 'unknown') {
    ctx.reporter.warn(
      'ipblock-overlaps-pods',
      ctx.policy,
      n.entry.origin,
      `named port "${n.name}" with ipBlock ${party.block.name}, which holds part of the pod network ${ctx.universe.podCIDR}: tags cannot name the pods inside it, so mode exact takes the ipBlock as addresses outside the cluster and those pods are not reached on this port; name them with a pod or namespace selector instead`,
    );
  }
  return [];
}

/**
 * A named port on the pods of `dest`: per port number, the terms that select exactly the known pods
 * that declare the name with that number (narrowed with the pods' own tags where other pods of
 * `dest` declare another number or none). Errors when tags cannot tell such pods apart.
 */
export function resolveNamedPort(n: NamedPort, dest: Term, ctx: SelectorContext): { term: Term; port: number }[] {
  const pods = ctx.universe.podsOf(dest);
  const portOf = (p: KnownPod): number | undefined =>
    p.ports.find((cp) => cp.name === n.name && cp.protocol.toLowerCase() === n.protocol)?.containerPort;
  const byPort = new Map<number, Term[]>();
  const reported = new Set<string>();
  for (const pod of pods) {
    const port = portOf(pod);
    if (port === undefined) continue;
    const r = refine(dest, pod, pods.filter((o) => portOf(o) !== port));
    if ('term' in r) {
      byPort.set(port, [...(byPort.get(port) ?? []), r.term]);
      continue;
    }
    const other = portOf(r.blocker);
    const [first, second] = [pod.ref, r.blocker.ref].sort(cmp);
    if (r.blocker.tags.key === pod.tags.key && reported.has(`${first}\u0000${second}`)) continue;
    reported.add(`${first}\u0000${second}`);
    const declares = (ref: string, port: number | undefined) => (port === undefined ? `${ref} does not declare it` : `${ref} declares it as ${port}`);
    const same =
      r.blocker.tags.key === pod.tags.key
        ? `${first} and ${second} carry the same tags`
        : `${r.blocker.ref} carries every tag of ${pod.ref}`;
    ctx.reporter.error(
      ctx.policy,
      n.entry.origin,
      `${same}, but for port "${n.name}" ${declares(pod.ref, port)} and ${declares(r.blocker.ref, other)}: Contrail tags cannot tell their pods apart, so no rule can give each its own port number; write the port number, or give the workloads a label that tells them apart`,
    );
  }
  return [...byPort.keys()].sort((a, b) => a - b).flatMap((port) => absorb(byPort.get(port)!).map((term) => ({ term, port })));
}
