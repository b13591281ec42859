/**
 * Valid manifests -> the policy model (src/model/policy.ts), defaulted as the API server does:
 * `protocol: TCP`; `policyTypes` = [Ingress], plus Egress when `spec.egress` is non-empty (only
 * when policyTypes is absent or empty). Label maps become key-sorted pairs (Go's JSON order).
 */
import { cmp } from '../diagnostics.js';
import type {
  ContainerPort,
  IPBlock,
  LabelRequirement,
  LabelSelector,
  Namespace,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  PolicySet,
  PolicyType,
  Protocol,
  SelectorOperator,
  Workload,
  WorkloadKind,
} from '../model/policy.js';
import { at, type Origin } from '../model/source.js';
import { isWorkloadKind } from './kinds.js';
import type {
  IPBlockManifest,
  LabelSelectorManifest,
  NamespaceManifest,
  NetworkPolicyManifest,
  NetworkPolicyPeerManifest,
  NetworkPolicyPortManifest,
  PodManifest,
} from './manifest.js';
import type { ValidatedObject } from './validate.js';
import { podParts } from './walk.js';

export const DEFAULT_NAMESPACE = 'default';

export function sortedLabels(labels: Readonly<Record<string, string>> | undefined): [string, string][] {
  return Object.entries(labels ?? {}).sort(([a], [b]) => cmp(a, b));
}

function selector(s: LabelSelectorManifest | undefined, origin: Origin): LabelSelector {
  const matchExpressions: LabelRequirement[] = [];
  s?.matchExpressions?.forEach((r, i) => {
    if (!r) return;
    matchExpressions.push({
      key: r.key ?? '',
      operator: r.operator as SelectorOperator,
      values: (r.values ?? []).map((v) => v ?? ''),
      origin: at(origin, 'matchExpressions', i),
    });
  });
  return { matchLabels: sortedLabels(s?.matchLabels), matchExpressions, origin };
}

function ipBlock(b: IPBlockManifest, origin: Origin): IPBlock {
  return { cidr: b.cidr ?? '', except: (b.except ?? []).map((e) => e ?? ''), origin };
}

function peers(list: (NetworkPolicyPeerManifest | undefined)[] | undefined, origin: Origin): PolicyPeer[] {
  return (list ?? []).map((p, index) => {
    const o = at(origin, index);
    return {
      ...(p?.podSelector && { podSelector: selector(p.podSelector, at(o, 'podSelector')) }),
      ...(p?.namespaceSelector && { namespaceSelector: selector(p.namespaceSelector, at(o, 'namespaceSelector')) }),
      ...(p?.ipBlock && { ipBlock: ipBlock(p.ipBlock, at(o, 'ipBlock')) }),
      index,
      origin: o,
    };
  });
}

function ports(list: (NetworkPolicyPortManifest | undefined)[] | undefined, origin: Origin): PolicyPort[] {
  return (list ?? []).map((p, index) => ({
    protocol: (p?.protocol ?? 'TCP') as Protocol,
    ...(p?.port !== undefined && { port: p.port }),
    ...(p?.endPort !== undefined && { endPort: p.endPort }),
    index,
    origin: at(origin, index),
  }));
}

function networkPolicy(m: NetworkPolicyManifest, origin: Origin): NetworkPolicy {
  const spec = m.spec ?? {};
  const specOrigin = at(origin, 'spec');
  const rules = (
    list: ({ ports?: (NetworkPolicyPortManifest | undefined)[] } | undefined)[] | undefined,
    field: 'ingress' | 'egress',
    peersOf: (r: unknown) => (NetworkPolicyPeerManifest | undefined)[] | undefined,
  ): PolicyRule[] =>
    (list ?? []).map((r, index) => {
      const o = at(specOrigin, field, index);
      return { peers: peers(peersOf(r), at(o, field === 'ingress' ? 'from' : 'to')), ports: ports(r?.ports, at(o, 'ports')), index, origin: o };
    });
  const ingress = rules(spec.ingress, 'ingress', (r) => (r as { from?: (NetworkPolicyPeerManifest | undefined)[] } | undefined)?.from);
  const egress = rules(spec.egress, 'egress', (r) => (r as { to?: (NetworkPolicyPeerManifest | undefined)[] } | undefined)?.to);
  const written = (spec.policyTypes ?? []).filter((t): t is PolicyType => t === 'Ingress' || t === 'Egress');
  const policyTypes: PolicyType[] = written.length > 0 ? written : egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  return {
    name: m.metadata?.name ?? '',
    namespace: m.metadata?.namespace || DEFAULT_NAMESPACE,
    podSelector: selector(spec.podSelector, at(specOrigin, 'podSelector')),
    policyTypes,
    ingress,
    egress,
    origin,
  };
}

function namespace(m: NamespaceManifest, origin: Origin): Namespace {
  return { name: m.metadata?.name ?? '', labels: sortedLabels(m.metadata?.labels), origin };
}

function workload(kind: WorkloadKind, m: unknown, origin: Origin): Workload {
  const meta = (m as { metadata?: { name?: string; namespace?: string } }).metadata;
  const pod = podParts(kind, m);
  const containerPorts: ContainerPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c?.ports ?? []) {
      if (p?.containerPort === undefined) continue;
      containerPorts.push({ ...(p.name && { name: p.name }), containerPort: p.containerPort, protocol: (p.protocol ?? 'TCP') as Protocol });
    }
  }
  const podIP = kind === 'Pod' ? (m as PodManifest).status?.podIP : undefined;
  return {
    kind,
    name: meta?.name ?? '',
    namespace: meta?.namespace || DEFAULT_NAMESPACE,
    labels: sortedLabels(pod.meta?.labels),
    ports: containerPorts,
    ...(podIP && { podIP }),
    origin,
  };
}

const byNamespaceName = (a: { namespace: string; name: string }, b: { namespace: string; name: string }): number =>
  cmp(a.namespace, b.namespace) || cmp(a.name, b.name);

/** What one valid object becomes in the model. */
export type ModelObject =
  | { readonly kind: 'NetworkPolicy'; readonly policy: NetworkPolicy }
  | { readonly kind: 'Namespace'; readonly namespace: Namespace }
  | { readonly kind: 'Workload'; readonly workload: Workload }
  | { readonly kind: 'none' };

export function toModelObject(o: ValidatedObject): ModelObject {
  if (o.kind === 'NetworkPolicy') return { kind: 'NetworkPolicy', policy: networkPolicy(o.manifest as NetworkPolicyManifest, o.origin) };
  if (o.kind === 'Namespace') return { kind: 'Namespace', namespace: namespace(o.manifest as NamespaceManifest, o.origin) };
  if (isWorkloadKind(o.kind)) return { kind: 'Workload', workload: workload(o.kind, o.manifest, o.origin) };
  return { kind: 'none' };
}

/**
 * The model of valid objects, each list sorted by (namespace, name) (workloads then by kind).
 * `memo` keeps each object's model by the object's identity, for callers that validate the same
 * objects again (the two sides of a diff).
 */
export function toPolicySet(objects: readonly ValidatedObject[], memo?: WeakMap<ValidatedObject, ModelObject>): PolicySet {
  const policies: NetworkPolicy[] = [];
  const namespaces: Namespace[] = [];
  const workloads: Workload[] = [];
  for (const o of objects) {
    let m = memo?.get(o);
    if (!m) {
      m = toModelObject(o);
      memo?.set(o, m);
    }
    if (m.kind === 'NetworkPolicy') policies.push(m.policy);
    else if (m.kind === 'Namespace') namespaces.push(m.namespace);
    else if (m.kind === 'Workload') workloads.push(m.workload);
  }
  policies.sort(byNamespaceName);
  namespaces.sort((a, b) => cmp(a.name, b.name));
  workloads.sort((a, b) => byNamespaceName(a, b) || cmp(a.kind, b.kind));
  return { policies, namespaces, workloads };
}
