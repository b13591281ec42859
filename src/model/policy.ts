/**
 * The policy model: what the front end (load -> validate -> default) hands to every later stage.
 * Values are validated and defaulted exactly as the Kubernetes API server would store them, so a
 * lowering never re-checks input. Presence is kept where it changes meaning (a peer's
 * `namespaceSelector: {}` is not the same as no namespaceSelector), and every node keeps its Origin.
 */
import type { Origin } from './source.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type PolicyType = 'Ingress' | 'Egress';
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** As written (order kept: CN2 keeps only the last value of In/NotIn). Empty for Exists/DoesNotExist. */
  readonly values: readonly string[];
  readonly origin: Origin;
}

/**
 * A label selector. `matchLabels` is sorted by key (the API server stores a map, and Go's JSON
 * encoder writes map keys sorted: that is the order CN2 sees). `{}` (both empty) selects everything.
 */
export interface LabelSelector {
  readonly matchLabels: readonly (readonly [key: string, value: string])[];
  readonly matchExpressions: readonly LabelRequirement[];
  readonly origin: Origin;
}

export interface IPBlock {
  /** As written (validated): `172.17.0.0/16`, `2001:db8::/32`. */
  readonly cidr: string;
  readonly except: readonly string[];
  readonly origin: Origin;
}

/** One element of `from` / `to`: at least one field is set (validation guarantees it). */
export interface PolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IPBlock;
  /** Index in the `from` / `to` list as written. */
  readonly index: number;
  readonly origin: Origin;
}

export interface PolicyPort {
  /** Defaulted to TCP. */
  readonly protocol: Protocol;
  /** A number (1..65535), an IANA service name (a named container port), or absent (all ports). */
  readonly port?: number | string;
  /** Only with a numeric `port`, and not below it. */
  readonly endPort?: number;
  readonly index: number;
  readonly origin: Origin;
}

/** One element of `spec.ingress` or `spec.egress`. Empty `peers` (absent or `[]`) means every peer. */
export interface PolicyRule {
  readonly peers: readonly PolicyPeer[];
  /** Empty (absent or `[]`) means every port and protocol. */
  readonly ports: readonly PolicyPort[];
  readonly index: number;
  readonly origin: Origin;
}

export interface NetworkPolicy {
  readonly name: string;
  /** `metadata.namespace`, else `default`. */
  readonly namespace: string;
  readonly podSelector: LabelSelector;
  /** Defaulted: `[Ingress]`, plus `Egress` when `spec.egress` is non-empty. Order as written. */
  readonly policyTypes: readonly PolicyType[];
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
  readonly origin: Origin;
}

export interface Namespace {
  readonly name: string;
  /** Sorted by key. */
  readonly labels: readonly (readonly [string, string])[];
  readonly origin: Origin;
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

export type WorkloadKind = 'Pod' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job' | 'CronJob';

/** A workload's pod template (one representative pod, whatever the replica count). */
export interface Workload {
  readonly kind: WorkloadKind;
  readonly name: string;
  readonly namespace: string;
  /** Pod (template) labels, sorted by key. */
  readonly labels: readonly (readonly [string, string])[];
  readonly ports: readonly ContainerPort[];
  /** `status.podIP` of a Pod, when given. */
  readonly podIP?: string;
  readonly origin: Origin;
}

/** Everything in a policies folder, validated and defaulted; every list sorted (namespace, name). */
export interface PolicySet {
  readonly policies: readonly NetworkPolicy[];
  readonly namespaces: readonly Namespace[];
  readonly workloads: readonly Workload[];
}

export const policyKey = (p: { namespace: string; name: string }): string => `${p.namespace}/${p.name}`;
