/**
 * FWRule.ingress_parser / egress_parser: one rule of `spec.ingress` or `spec.egress` -> the firewall
 * rules CN2 writes for it: (each endpoint of each peer) x (each service), named
 * `<prefix>-<peer part>-<j>[-<cidr>]-<k>`. Ingress prefixes carry the rule index, egress ones do not.
 */
import type { NetworkPolicy, PolicyRule } from '../../model/policy.js';
import { at } from '../../model/source.js';
import type { Endpoint } from '../../snapshot/model.js';
import { emptyNamespaceSelector, endPortIgnored, exceptBecomesDeny, type FindingDraft, type Side } from './findings.js';
import { ANY, isBareEmptyNamespaceSelector, type PeerEndpoint, peerEndpoints } from './peers.js';
import { ruleServices } from './services.js';
import { firstEqualIndices, peerKey } from './spec-json.js';
import type { ConfigStore, DraftRule } from './store.js';

export interface RuleContext {
  readonly store: ConfigStore;
  readonly policy: NetworkPolicy;
  /** `namespace/name`, for the rules' source. */
  readonly policyKey: string;
  /** The policy's own pods (`spec.podSelector` tags). */
  readonly selected: Endpoint;
  readonly findings: FindingDraft[];
}

export function ingressRulePrefix(np: NetworkPolicy, i: number): string {
  return `${np.namespace}-ingress-${np.name}-${i}`;
}

export function egressRulePrefix(np: NetworkPolicy): string {
  return `${np.namespace}-egress-${np.name}`;
}

/** `ruleIndex`: i of the ingress prefix (the index of the first equal rule); unused for egress. */
export function ruleDrafts(ctx: RuleContext, rule: PolicyRule, side: Side, ruleIndex: number): DraftRule[] {
  const np = ctx.policy;
  const prefix = side === 'ingress' ? ingressRulePrefix(np, ruleIndex) : egressRulePrefix(np);
  const peerCtx = { store: ctx.store, namespace: np.namespace, side, findings: ctx.findings };

  const endpoints: PeerEndpoint[] = [];
  const peerIndices = firstEqualIndices(rule.peers, peerKey);
  rule.peers.forEach((peer, j) => endpoints.push(...peerEndpoints(peerCtx, peer, peerIndices[j], prefix)));
  const bareEmptyNs = rule.peers.filter(isBareEmptyNamespaceSelector);
  for (const peer of bareEmptyNs) {
    const c = endpoints.length ? 'dropped' : 'allow-all';
    ctx.findings.push(emptyNamespaceSelector(at(peer.origin, 'namespaceSelector'), c, np.namespace, side));
  }
  if (endpoints.length === 0) endpoints.push({ name: `${prefix}-allow-all`, endpoint: ANY, action: 'pass', origin: rule.origin });

  for (const port of rule.ports) {
    if (port.endPort !== undefined && typeof port.port === 'number') ctx.findings.push(endPortIgnored(at(port.origin, 'endPort'), port.port, port.endPort));
  }

  const services = ruleServices(rule);
  const drafts: DraftRule[] = [];
  for (const ep of endpoints) {
    for (const s of services) {
      drafts.push({
        name: `${ep.name}-${s.index}`,
        action: ep.action,
        service: s.service,
        endpoint1: side === 'ingress' ? ep.endpoint : ctx.selected,
        endpoint2: side === 'ingress' ? ctx.selected : ep.endpoint,
        source: { policy: ctx.policyKey, direction: side, origin: ep.origin },
      });
    }
    if (ep.except) ctx.findings.push(exceptBecomesDeny(ep.except.origin, ep.except.cidr, `${ep.name}-${services[0].index}`, side));
  }
  return drafts;
}
