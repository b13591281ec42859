/**
 * The NetworkPolicy spec as kube-manager receives it (JSON from the API server: empty lists and
 * maps dropped, map keys sorted), as one canonical string per part. kube-manager compares these
 * parts with Python's `==` (`from_rules.index(peer)`, `ingress_list.index(rule)`) and stores the
 * whole spec as an annotation it compares on the next write; equal strings here mean equal there.
 */
import type { IPBlock, LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from '../../model/policy.js';

export function peerKey(peer: PolicyPeer): string {
  return JSON.stringify(peerValue(peer));
}

export function ruleKey(rule: PolicyRule): string {
  return JSON.stringify(ruleValue(rule));
}

export function specKey(np: NetworkPolicy): string {
  return JSON.stringify({
    podSelector: selectorValue(np.podSelector),
    ingress: np.ingress.map(ruleValue),
    egress: np.egress.map(ruleValue),
    policyTypes: np.policyTypes,
  });
}

/**
 * For each element, the index of the first element equal to it (what Python's `list.index`
 * returns for it). One pass with a map: a policy with thousands of rules stays linear.
 */
export function firstEqualIndices<T>(items: readonly T[], key: (t: T) => string): number[] {
  const first = new Map<string, number>();
  return items.map((item, i) => {
    const k = key(item);
    const seen = first.get(k);
    if (seen !== undefined) return seen;
    first.set(k, i);
    return i;
  });
}

function ruleValue(rule: PolicyRule): unknown {
  return { ports: rule.ports.map(portValue), peers: rule.peers.map(peerValue) };
}

function portValue(p: PolicyPort): unknown {
  return { protocol: p.protocol, port: p.port ?? null, endPort: p.endPort ?? null };
}

function peerValue(peer: PolicyPeer): unknown {
  return {
    podSelector: peer.podSelector ? selectorValue(peer.podSelector) : null,
    namespaceSelector: peer.namespaceSelector ? selectorValue(peer.namespaceSelector) : null,
    ipBlock: peer.ipBlock ? ipBlockValue(peer.ipBlock) : null,
  };
}

function selectorValue(s: LabelSelector): unknown {
  return {
    matchLabels: s.matchLabels,
    matchExpressions: s.matchExpressions.map((r) => ({ key: r.key, operator: r.operator, values: r.values })),
  };
}

function ipBlockValue(b: IPBlock): unknown {
  return { cidr: b.cidr, except: b.except };
}
