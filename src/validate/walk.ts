/** Walks a decoded object and calls the visitors' hooks (see rule.ts), in document order. */
import type { WorkloadKind } from '../model/policy.js';
import type { Path } from '../model/source.js';
import { isWorkloadKind, type KeptKind } from './kinds.js';
import type {
  CronJobManifest,
  LabelSelectorManifest,
  NetworkPolicyManifest,
  NetworkPolicyPeerManifest,
  NetworkPolicyPortManifest,
  ObjectMetaManifest,
  PodControllerManifest,
  PodManifest,
  PodSpecManifest,
} from './manifest.js';
import type { Visitor } from './rule.js';

type Hook = keyof Visitor;

function call<H extends Hook>(visitors: readonly Visitor[], hook: H, ...args: Parameters<NonNullable<Visitor[H]>>): void {
  for (const v of visitors) {
    const f = v[hook] as ((...a: unknown[]) => void) | undefined;
    if (f) f.apply(v, args);
  }
}

export function walkObject(kind: KeptKind, manifest: unknown, visitors: readonly Visitor[]): void {
  const obj = manifest as { metadata?: ObjectMetaManifest };
  // Visited even when absent: a missing name is reported there.
  call(visitors, 'ObjectMeta', obj.metadata ?? {}, ['metadata'], true);
  if (kind === 'NetworkPolicy') walkNetworkPolicy(manifest as NetworkPolicyManifest, visitors);
  else if (isWorkloadKind(kind)) walkWorkload(kind, manifest, visitors);
}

function walkNetworkPolicy(np: NetworkPolicyManifest, visitors: readonly Visitor[]): void {
  call(visitors, 'NetworkPolicy', np, []);
  const spec = np.spec;
  if (!spec) return;
  call(visitors, 'NetworkPolicySpec', spec, ['spec']);
  if (spec.podSelector) walkSelector(spec.podSelector, ['spec', 'podSelector'], visitors);
  spec.ingress?.forEach((rule, i) => {
    if (rule) walkRule(['spec', 'ingress', i], 'from', rule.ports, rule.from, visitors);
  });
  spec.egress?.forEach((rule, i) => {
    if (rule) walkRule(['spec', 'egress', i], 'to', rule.ports, rule.to, visitors);
  });
}

function walkRule(
  path: Path,
  peersField: 'from' | 'to',
  ports: (NetworkPolicyPortManifest | undefined)[] | undefined,
  peers: (NetworkPolicyPeerManifest | undefined)[] | undefined,
  visitors: readonly Visitor[],
): void {
  ports?.forEach((port, i) => {
    if (port) call(visitors, 'NetworkPolicyPort', port, [...path, 'ports', i]);
  });
  peers?.forEach((peer, i) => {
    if (!peer) return;
    const at = [...path, peersField, i];
    call(visitors, 'NetworkPolicyPeer', peer, at);
    if (peer.podSelector) walkSelector(peer.podSelector, [...at, 'podSelector'], visitors);
    if (peer.namespaceSelector) walkSelector(peer.namespaceSelector, [...at, 'namespaceSelector'], visitors);
    if (peer.ipBlock) call(visitors, 'IPBlock', peer.ipBlock, [...at, 'ipBlock']);
  });
}

function walkSelector(selector: LabelSelectorManifest, path: Path, visitors: readonly Visitor[]): void {
  call(visitors, 'LabelSelector', selector, path);
}

/** The pod of a workload: its template's metadata and spec (a Pod's own), with their paths. */
export interface PodParts {
  readonly meta?: ObjectMetaManifest;
  readonly metaPath: Path;
  readonly spec?: PodSpecManifest;
  readonly specPath: Path;
}

export function podParts(kind: WorkloadKind, manifest: unknown): PodParts {
  if (kind === 'Pod') {
    const pod = manifest as PodManifest;
    return { meta: pod.metadata, metaPath: ['metadata'], spec: pod.spec, specPath: ['spec'] };
  }
  if (kind === 'CronJob') {
    const t = (manifest as CronJobManifest).spec?.jobTemplate?.spec?.template;
    const at = ['spec', 'jobTemplate', 'spec', 'template'];
    return { meta: t?.metadata, metaPath: [...at, 'metadata'], spec: t?.spec, specPath: [...at, 'spec'] };
  }
  const t = (manifest as PodControllerManifest).spec?.template;
  return { meta: t?.metadata, metaPath: ['spec', 'template', 'metadata'], spec: t?.spec, specPath: ['spec', 'template', 'spec'] };
}

function walkWorkload(kind: WorkloadKind, manifest: unknown, visitors: readonly Visitor[]): void {
  const pod = podParts(kind, manifest);
  if (kind !== 'Pod' && pod.meta) call(visitors, 'ObjectMeta', pod.meta, pod.metaPath, false);
  pod.spec?.containers?.forEach((c, i) => {
    c?.ports?.forEach((p, j) => {
      if (p) call(visitors, 'ContainerPort', p, [...pod.specPath, 'containers', i, 'ports', j]);
    });
  });
  if (kind === 'Pod') {
    const status = (manifest as PodManifest).status;
    if (status) call(visitors, 'PodStatus', status, ['status']);
  }
}
