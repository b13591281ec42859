/**
 * Mode `cn2`: the objects CN2's Kubernetes integration (kube-manager) creates for a policies
 * folder, names and quirks included, and a finding wherever that differs from what the
 * NetworkPolicies say. kube-manager's run is replayed on a model of the config API: the cluster
 * objects, each namespace (sorted), then each NetworkPolicy in (namespace, name) order.
 */
import { cmp } from '../../diagnostics.js';
import { type NetworkPolicy, policyKey, type PolicySet } from '../../model/policy.js';
import type { FirewallPolicy, Snapshot } from '../../snapshot/model.js';
import type { Lowering, LoweringOptions, LoweringResult } from '../lowering.js';
import { applicationPolicySet, createClusterObjects, knownNamespaces } from './cluster.js';
import { type ClusterState, translatePolicy } from './policy.js';
import { ConfigStore } from './store.js';

export const cn2Lowering: Lowering = {
  mode: 'cn2',
  lower(input: PolicySet, options: LoweringOptions): LoweringResult {
    return { snapshot: lowerCn2(input, options), diagnostics: [] };
  },
};

export function lowerCn2(input: PolicySet, options: Pick<LoweringOptions, 'cluster' | 'generator'>): Snapshot {
  const { cluster } = options;
  const store = new ConfigStore();
  const names = createClusterObjects(store, cluster, knownNamespaces(input));
  const policies = [...input.policies].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
  const state: ClusterState = {
    store,
    cluster,
    denyAllPolicy: names.denyAll,
    apsPolicies: new Set(),
    findings: [],
    byKey: new Map<string, NetworkPolicy>(policies.map((p) => [policyKey(p), p])),
  };
  for (const np of policies) translatePolicy(state, np);

  const byName = <T extends { name: string }>(items: Iterable<T>): T[] => [...items].sort((a, b) => cmp(a.name, b.name));
  const firewallPolicies: FirewallPolicy[] = byName(store.policies.values()).map((p) => ({
    name: p.name,
    rules: p.refs,
    ...(p.policy !== undefined ? { policy: p.policy } : {}),
  }));
  return {
    mode: 'cn2',
    cluster,
    generator: options.generator,
    tags: byName(store.tags.values()),
    addressGroups: byName(store.addressGroups.values()),
    rules: byName(store.rules.values()),
    policies: firewallPolicies,
    policySets: [applicationPolicySet(cluster, names, [...state.apsPolicies])],
    findings: state.findings,
  };
}
