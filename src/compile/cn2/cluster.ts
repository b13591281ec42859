/**
 * What kube-manager creates for the cluster before any NetworkPolicy: the application policy set
 * `C` tagged `application=C`, the firewall policies `C-Ingress`, `C-denyall`, `C-allowall`, and per
 * namespace (sorted) the tag `namespace=NS` and two pass rules appended to `C-allowall`.
 */
import { cmp } from '../../diagnostics.js';
import type { PolicySet } from '../../model/policy.js';
import type { ApplicationPolicySet } from '../../snapshot/model.js';
import { sequenceString } from '../../snapshot/model.js';
import { ANY, tagsEndpoint } from './peers.js';
import { ANY_SERVICE } from './services.js';
import type { ConfigStore } from './store.js';

export interface ClusterPolicies {
  readonly ingress: string;
  readonly denyAll: string;
  readonly allowAll: string;
}

export function clusterPolicyNames(cluster: string): ClusterPolicies {
  return { ingress: `${cluster}-Ingress`, denyAll: `${cluster}-denyall`, allowAll: `${cluster}-allowall` };
}

/** Namespace manifests, and the namespaces of policies and workloads: every namespace the repository knows. */
export function knownNamespaces(input: PolicySet): string[] {
  const names = new Set<string>([
    ...input.namespaces.map((n) => n.name),
    ...input.policies.map((p) => p.namespace),
    ...input.workloads.map((w) => w.namespace),
  ]);
  return [...names].sort(cmp);
}

export function createClusterObjects(store: ConfigStore, cluster: string, namespaces: readonly string[]): ClusterPolicies {
  const names = clusterPolicyNames(cluster);
  store.createTag('application', cluster);
  for (const fp of [names.ingress, names.denyAll, names.allowAll]) store.policy(fp);
  for (const ns of namespaces) {
    const own = tagsEndpoint([store.createTag('namespace', ns)]);
    const ingress = `${cluster}-Namespace-${ns}-ingress`;
    const egress = `${cluster}-Namespace-${ns}-egress`;
    store.writeRule({ name: ingress, action: 'pass', service: ANY_SERVICE, endpoint1: ANY, endpoint2: own, source: { direction: 'ingress' } });
    store.writeRule({ name: egress, action: 'pass', service: ANY_SERVICE, endpoint1: own, endpoint2: ANY, source: { direction: 'egress' } });
    store.appendRule(names.allowAll, ingress);
    store.appendRule(names.allowAll, egress);
  }
  return names;
}

/**
 * The APS in kube-manager's self-healed order (recreate_cluster_security_policy): `C-Ingress`, the
 * NetworkPolicies' firewall policies in the order they were added, `C-denyall`, `C-allowall`,
 * numbered from 00001.0. (A live cluster numbers by creation time, which git cannot know.)
 */
export function applicationPolicySet(cluster: string, names: ClusterPolicies, policies: readonly string[]): ApplicationPolicySet {
  const order = [names.ingress, ...policies, names.denyAll, names.allowAll];
  return {
    name: cluster,
    tags: [`application=${cluster}`],
    policies: order.map((name, i) => ({ name, sequence: sequenceString(i + 1) })),
  };
}
