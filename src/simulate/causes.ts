/**
 * Why Contrail's enforcement differs from Kubernetes' on a flow: the known divergences of mode
 * `cn2` (mapping.md, "Known ways"), attributed by analysis of the two decisions: the rule that
 * decided in Contrail (and which part of which NetworkPolicy it stands for), the Kubernetes rules
 * that allowed or the policies that isolated, and what the snapshot lacks (a rejected policy).
 */
import { cmp } from '../diagnostics.js';
import type { LabelSelector, NetworkPolicy, PolicyPeer, PolicyRule, PolicySet } from '../model/policy.js';
import { policyKey } from '../model/policy.js';
import type { FirewallRule, Snapshot } from '../snapshot/model.js';
import type { ContrailDecision } from './contrail.js';
import type { FlowEnd, Inventory } from './inventory.js';
import type { KubernetesAllowingRule, PolicyDirection } from './kubernetes.js';
import type { ProbePoint } from './probe-space.js';

export const DIVERGENCE_KINDS = [
  'union-instead-of-intersection',
  'except-deny-shadowing',
  'match-expressions-narrowed',
  'match-expressions-widened',
  'top-level-expressions-ignored',
  'empty-namespace-selector-dropped',
  'own-namespace-only',
  'namespace-label-spoofing',
  'end-port-ignored',
  'named-port-rejected',
  'egress-name-collision',
  'other',
] as const;

export type DivergenceKind = (typeof DIVERGENCE_KINDS)[number];

/** One line per cause, for a person reading `verify`. */
export const DIVERGENCE_DESCRIPTIONS: Record<DivergenceKind, string> = {
  'union-instead-of-intersection':
    'one first-match list runs at both ends, so a pass for one end (ingress or egress) wins before the other end\'s deny-all',
  'except-deny-shadowing': 'an ipBlock `except` becomes a deny rule that shadows later passes',
  'match-expressions-narrowed': 'matchExpressions In/NotIn keep only the last value, so the rule matches fewer pods',
  'match-expressions-widened': 'matchExpressions are dropped or reduced (Exists/DoesNotExist, NotIn), so the rule matches more',
  'top-level-expressions-ignored': 'the policy\'s own podSelector matchExpressions are ignored, so it selects other pods',
  'empty-namespace-selector-dropped': '`namespaceSelector: {}` is dropped (a peer lost, or the rule widened to any address)',
  'own-namespace-only': '`{namespaceSelector: {}, podSelector: {}}` matches the policy\'s own namespace only',
  'namespace-label-spoofing': 'namespace labels are matched as pod tags: a pod label can pose as a namespace label, and a namespace label replaces a pod label',
  'end-port-ignored': '`endPort` is ignored: only the first port of the range is allowed',
  'named-port-rejected': 'a named port makes CN2 reject the whole policy: nothing of it is enforced',
  'egress-name-collision': 'egress rules with the same peer and port indexes get the same name: the later one replaces the earlier',
  other: 'no known cause applies',
};

/** The part of a NetworkPolicy a CN2 firewall rule stands for, read from its name (and `source` when set). */
export interface RuleSite {
  readonly policy: NetworkPolicy;
  readonly direction: PolicyDirection;
  readonly kind: 'peer' | 'except' | 'not-in' | 'allow-all' | 'deny-all';
  /** Ingress only: egress names carry no rule index. */
  readonly rule?: number;
  readonly peer?: number;
  readonly port?: number;
}

const SITE_PATTERNS: readonly [RegExp, RuleSite['kind']][] = [
  [/^allow-all-(\d+)$/, 'allow-all'],
  [/^podSelector-(\d+)-(\d+)$/, 'peer'],
  [/^namespaceSelector-(\d+)-(\d+)$/, 'peer'],
  [/^namespaceSelector-(\d+)-.+-(\d+)$/, 'not-in'],
  [/^ipBlock-(\d+)-cidr-.+-(\d+)$/, 'peer'],
  [/^ipBlock-(\d+)-.+-(\d+)$/, 'except'],
];

export function ruleSite(rule: FirewallRule, policies: ReadonlyMap<string, NetworkPolicy>, byPrefix: readonly NetworkPolicy[]): RuleSite | undefined {
  const candidates = rule.source?.policy && policies.get(rule.source.policy) ? [policies.get(rule.source.policy)!] : byPrefix;
  for (const policy of candidates) {
    for (const direction of ['ingress', 'egress'] as const) {
      const prefix = `${policy.namespace}-${direction}-${policy.name}-`;
      if (!rule.name.startsWith(prefix)) continue;
      let rest = rule.name.slice(prefix.length);
      if (rest === (direction === 'ingress' ? 'denyall' : 'default-deny-all')) return { policy, direction, kind: 'deny-all' };
      let ruleIndex: number | undefined;
      if (direction === 'ingress') {
        const m = /^(\d+)-/.exec(rest);
        if (!m) continue;
        ruleIndex = Number(m[1]);
        rest = rest.slice(m[0].length);
      }
      for (const [re, kind] of SITE_PATTERNS) {
        const m = re.exec(rest);
        if (!m) continue;
        const nums = m.slice(1).map(Number);
        return {
          policy,
          direction,
          kind,
          ...(ruleIndex !== undefined ? { rule: ruleIndex } : {}),
          ...(kind === 'allow-all' ? { port: nums[0] } : { peer: nums[0], port: nums[1] }),
        };
      }
    }
  }
  return undefined;
}

const hasExpressions = (s: LabelSelector | undefined): boolean => !!s && s.matchExpressions.length > 0;
const isEmptySelector = (s: LabelSelector | undefined): boolean => !!s && s.matchLabels.length === 0 && s.matchExpressions.length === 0;
const narrowingExpressions = (s: LabelSelector | undefined): boolean =>
  !!s && s.matchExpressions.some((e) => (e.operator === 'In' && e.values.length > 1) || e.operator === 'NotIn');

/** CN2's names for the firewall rules one egress rule makes (kube-manager's egress_parser), by (peer, port). */
function cn2EgressNames(policy: NetworkPolicy, rule: PolicyRule, peers: readonly number[] | null, ports: readonly number[] | null): Set<string> {
  const prefix = `${policy.namespace}-egress-${policy.name}`;
  const kinds: string[] = [];
  for (const peer of rule.peers) {
    if (peers && !peers.includes(peer.index)) continue;
    if (peer.podSelector) kinds.push(`podSelector-${peer.index}`);
    else if (peer.namespaceSelector && !isEmptySelector(peer.namespaceSelector)) kinds.push(`namespaceSelector-${peer.index}`);
    if (peer.ipBlock) kinds.push(`ipBlock-${peer.index}-cidr-${peer.ipBlock.cidr}`);
  }
  if (rule.peers.length === 0 || (kinds.length === 0 && !peers)) kinds.push('allow-all');
  const portIdx = rule.ports.length === 0 ? [0] : rule.ports.map((p) => p.index).filter((k) => !ports || ports.includes(k));
  return new Set(kinds.flatMap((kind) => portIdx.map((k) => `${prefix}-${kind}-${k}`)));
}

export interface CauseInput {
  readonly src: FlowEnd;
  readonly dst: FlowEnd;
  readonly point: ProbePoint;
  readonly kubernetes: {
    readonly egressAllowed: boolean;
    readonly ingressAllowed: boolean;
    readonly allowing: (end: PolicyDirection) => readonly KubernetesAllowingRule[];
    /** Policies (`ns/name`) that isolate the pod at an end. */
    readonly isolating: (end: PolicyDirection) => readonly string[];
  };
  readonly contrail: { readonly sender: ContrailDecision | null; readonly receiver: ContrailDecision | null };
}

export interface Attribution {
  readonly cause: DivergenceKind;
  /** The NetworkPolicies the cause points at (`ns/name`); may repeat. */
  readonly policies: readonly string[];
}

/** The analysis context of one policy set and snapshot. */
export class CauseAnalyzer {
  private readonly policies: Map<string, NetworkPolicy>;
  private readonly byPrefixOrder: NetworkPolicy[];
  private readonly enforced: Set<string>;
  private readonly nsLabels: Map<string, Map<string, string>>;

  constructor(policySet: PolicySet, snapshot: Snapshot, inventory: Inventory) {
    this.policies = new Map(policySet.policies.map((p) => [policyKey(p), p]));
    // Longer names first, so `a-b` is not read as `a` when both exist.
    this.byPrefixOrder = [...policySet.policies].sort((a, b) => b.namespace.length + b.name.length - (a.namespace.length + a.name.length));
    const inSets = new Set(snapshot.policySets.flatMap((s) => s.policies.map((r) => r.name)));
    this.enforced = new Set(
      snapshot.policies
        .filter((fp) => inSets.has(fp.name))
        .flatMap((fp) => {
          if (fp.policy) return [fp.policy];
          const p = policySet.policies.find((x) => fp.name === `${snapshot.cluster}-${x.namespace}-${x.name}`);
          return p ? [policyKey(p)] : [];
        }),
    );
    this.nsLabels = new Map(inventory.namespaces.map((ns) => [ns.name, new Map(ns.labels)]));
    this.anyRejected = policySet.policies.some((p) => !this.enforced.has(policyKey(p)));
  }

  /** Whether CN2 rejected any policy (most repositories: none, and the checks for it are skipped). */
  private readonly anyRejected: boolean;

  private readonly sites = new Map<FirewallRule, RuleSite | undefined>();

  site(rule: FirewallRule | undefined): RuleSite | undefined {
    if (!rule) return undefined;
    if (!this.sites.has(rule)) this.sites.set(rule, ruleSite(rule, this.policies, this.byPrefixOrder));
    return this.sites.get(rule);
  }

  private rejected(key: string): boolean {
    return !this.enforced.has(key);
  }

  private hasNamedPort(p: NetworkPolicy): boolean {
    return [...p.ingress, ...p.egress].some((r) => r.ports.some((pp) => typeof pp.port === 'string'));
  }

  /** A pod label that the pod's namespace label of the same key replaces (as a tag), among `keys`. */
  private overriddenKey(end: FlowEnd, keys: readonly string[]): boolean {
    if (!('pod' in end)) return false;
    const ns = this.nsLabels.get(end.pod.namespace) ?? new Map<string, string>();
    const pod = new Map(end.pod.labels);
    return keys.some((k) => ns.has(k) && pod.has(k) && ns.get(k) !== pod.get(k));
  }

  attribute(input: CauseInput): Attribution {
    const k8sAllowed = input.kubernetes.egressAllowed && input.kubernetes.ingressAllowed;
    return k8sAllowed ? this.contrailDenies(input) : this.contrailAllows(input);
  }

  /** Kubernetes allows, Contrail denies: the deny that decided, else why CN2 lost every allowing rule. */
  private contrailDenies(input: CauseInput): Attribution {
    const { sender, receiver } = input.contrail;
    const deciding = sender && !sender.allowed ? sender : receiver;
    const site = this.site(deciding?.rule);
    if (site) {
      const key = policyKey(site.policy);
      if (site.kind === 'except') return { cause: 'except-deny-shadowing', policies: [key] };
      if (site.kind === 'not-in') return { cause: 'match-expressions-narrowed', policies: [key] };
      const selected = site.direction === 'ingress' ? input.dst : input.src;
      const k8sSelects = input.kubernetes.isolating(site.direction).includes(key);
      if (!k8sSelects && site.kind === 'deny-all' && 'pod' in selected) {
        if (hasExpressions(site.policy.podSelector)) return { cause: 'top-level-expressions-ignored', policies: [key] };
      }
    }
    for (const end of ['egress', 'ingress'] as const) {
      for (const a of input.kubernetes.allowing(end)) {
        const cause = this.lostAllow(a, input);
        if (cause) return { cause, policies: [a.policy] };
      }
    }
    return { cause: 'other', policies: site ? [policyKey(site.policy)] : [] };
  }

  /** Why CN2 has no pass for a rule that Kubernetes says allows the flow. */
  private lostAllow(a: KubernetesAllowingRule, input: CauseInput): DivergenceKind | undefined {
    const policy = this.policies.get(a.policy)!;
    if (this.rejected(a.policy)) return this.hasNamedPort(policy) ? 'named-port-rejected' : undefined;
    const rule = (a.direction === 'ingress' ? policy.ingress : policy.egress).find((r) => r.index === a.rule)!;
    if (a.ports && a.ports.length > 0) {
      const entries = rule.ports.filter((p) => a.ports!.includes(p.index));
      if (entries.every((p) => typeof p.port === 'number' && p.endPort !== undefined && input.point.port !== p.port)) return 'end-port-ignored';
    }
    if (a.direction === 'egress') {
      const mine = cn2EgressNames(policy, rule, a.peers, a.ports);
      const later = policy.egress.filter((r) => r.index > rule.index).flatMap((r) => [...cn2EgressNames(policy, r, null, null)]);
      if ([...mine].some((n) => later.includes(n))) return 'egress-name-collision';
    }
    if (a.peers) {
      const peers = rule.peers.filter((p) => a.peers!.includes(p.index));
      const other = a.direction === 'ingress' ? input.src : input.dst;
      const nsOnlyEmpty = (p: PolicyPeer) => isEmptySelector(p.namespaceSelector) && !p.podSelector && !p.ipBlock;
      if (peers.every(nsOnlyEmpty) && rule.peers.length > 1) return 'empty-namespace-selector-dropped';
      const ownNs = (p: PolicyPeer) => isEmptySelector(p.namespaceSelector) && isEmptySelector(p.podSelector);
      if (peers.every(ownNs) && 'pod' in other && other.pod.namespace !== policy.namespace) return 'own-namespace-only';
      if (peers.every((p) => narrowingExpressions(p.podSelector) || narrowingExpressions(p.namespaceSelector))) return 'match-expressions-narrowed';
      if (peers.every((p) => this.overriddenKey(other, p.podSelector ? p.podSelector.matchLabels.map(([k]) => k) : []))) return 'namespace-label-spoofing';
    }
    const selected = a.direction === 'ingress' ? input.dst : input.src;
    if (this.overriddenKey(selected, policy.podSelector.matchLabels.map(([k]) => k))) return 'namespace-label-spoofing';
    return undefined;
  }

  /** Kubernetes denies, Contrail allows: the pass that decided, read against the end Kubernetes denied at. */
  private contrailAllows(input: CauseInput): Attribution {
    const k = input.kubernetes;
    const denyingEnds: PolicyDirection[] = [...(k.egressAllowed ? [] : ['egress' as const]), ...(k.ingressAllowed ? [] : ['ingress' as const])];
    // A rejected policy isolates nothing in CN2.
    for (const end of this.anyRejected ? denyingEnds : []) {
      const isolating = k.isolating(end);
      const missing = isolating.filter((p) => this.rejected(p));
      if (missing.length === isolating.length && missing.some((p) => this.hasNamedPort(this.policies.get(p)!))) {
        return { cause: 'named-port-rejected', policies: missing };
      }
    }
    const { sender, receiver } = input.contrail;
    const deciding = sender?.rule ? sender : receiver?.rule ? receiver : (sender ?? receiver);
    const site = this.site(deciding?.rule);
    if (!site) {
      // Reached the per-namespace allow-all (or nothing): the isolation did not apply in CN2.
      for (const end of denyingEnds) {
        const pod = end === 'ingress' ? input.dst : input.src;
        for (const key of k.isolating(end)) {
          const p = this.policies.get(key)!;
          if (this.overriddenKey(pod, p.podSelector.matchLabels.map(([kk]) => kk))) return { cause: 'namespace-label-spoofing', policies: [key] };
        }
      }
      return { cause: 'other', policies: denyingEnds.flatMap((e) => [...k.isolating(e)]).sort(cmp) };
    }
    const key = policyKey(site.policy);
    const selected = site.direction === 'ingress' ? input.dst : input.src;
    if ('pod' in selected && !k.isolating(site.direction).includes(key) && hasExpressions(site.policy.podSelector)) {
      return { cause: 'top-level-expressions-ignored', policies: [key] };
    }
    // The pass is right for its own end; the other end, where Kubernetes denies, never got to say no.
    const legit = k.allowing(site.direction).some((a) => a.policy === key);
    if (legit && !denyingEnds.includes(site.direction)) {
      // Not sorted or deduplicated here: verify collects policies in a set and sorts once.
      return { cause: 'union-instead-of-intersection', policies: [key, ...denyingEnds.flatMap((e) => k.isolating(e))] };
    }
    if (site.kind === 'allow-all') return { cause: 'empty-namespace-selector-dropped', policies: [key] };
    if (site.kind === 'peer' && site.peer !== undefined) {
      const rules = site.direction === 'ingress' ? site.policy.ingress : site.policy.egress;
      const candidates = site.rule !== undefined ? rules.filter((r) => r.index === site.rule) : rules;
      const peers = candidates.flatMap((r) => r.peers.filter((p) => p.index === site.peer));
      if (peers.some((p) => hasExpressions(p.podSelector) || hasExpressions(p.namespaceSelector))) return { cause: 'match-expressions-widened', policies: [key] };
      if (peers.some((p) => p.namespaceSelector && !isEmptySelector(p.namespaceSelector))) return { cause: 'namespace-label-spoofing', policies: [key] };
      if (peers.some((p) => isEmptySelector(p.namespaceSelector) && !p.podSelector)) return { cause: 'empty-namespace-selector-dropped', policies: [key] };
    }
    return { cause: 'other', policies: [key] };
  }
}
