/**
 * The inventory: the namespaces and pods a simulation runs over. From the repository's manifests
 * (one representative pod per workload: its pod template's labels and container ports), or, when
 * the repository declares no workload at all, synthesized from the label selectors the policies use
 * so that every rule has pods to act on.
 */
import { cmp, UserError } from '../diagnostics.js';
import type { ContainerPort, LabelSelector, NetworkPolicy, PolicySet, WorkloadKind } from '../model/policy.js';
import type { Labels } from '../snapshot/workload-tags.js';
import { type Address, addressKey, cidrSize, type Cidr, formatAddress, parseAddress, parseCidr } from '../net/ip.js';

/** Kubernetes puts this label on every namespace (since 1.21); selectors commonly use it. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface InventoryNamespace {
  readonly name: string;
  /** Sorted by key; includes `kubernetes.io/metadata.name`. */
  readonly labels: Labels;
}

export interface InventoryPod {
  /** Position in `Inventory.pods` (sorted by namespace, name). */
  readonly index: number;
  readonly namespace: string;
  /** The representative pod's name. */
  readonly name: string;
  /** The workload it stands for; absent for a synthesized pod. */
  readonly workload?: { readonly kind: WorkloadKind; readonly name: string };
  /** Sorted by key. */
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly ip: Address;
  /** `status` when the manifest gives `status.podIP`, else `assigned` from the pod CIDR. */
  readonly ipSource: 'status' | 'assigned';
}

export interface Inventory {
  /** Sorted by name. */
  readonly namespaces: readonly InventoryNamespace[];
  /** Sorted by (namespace, name). */
  readonly pods: readonly InventoryPod[];
  /** True when the repository has no workloads and the pods were made from the policies' selectors. */
  readonly synthesized: boolean;
  readonly podCIDR: string;
}

export interface InventoryOptions {
  /** Where pods without `status.podIP` get an address (default `10.244.0.0/16`). */
  readonly podCIDR?: string;
}

export const podRef = (p: { namespace: string; name: string }): string => `${p.namespace}/${p.name}`;

const sortLabels = (m: ReadonlyMap<string, string>): [string, string][] =>
  [...m].sort((a, b) => cmp(a[0], b[0]));

export function buildInventory(policySet: PolicySet, options: InventoryOptions = {}): Inventory {
  const podCIDR = options.podCIDR ?? '10.244.0.0/16';
  const cidr = parseCidr(podCIDR);
  if (!cidr) throw new UserError(`podCIDR: "${podCIDR}" is not a CIDR (write it like 10.244.0.0/16)`);

  const namespaces = new Map<string, { labels: Map<string, string> }>();
  const addNamespace = (name: string, labels: Labels = []) => {
    if (!namespaces.has(name)) namespaces.set(name, { labels: new Map(labels) });
  };
  for (const ns of policySet.namespaces) addNamespace(ns.name, ns.labels);
  for (const p of policySet.policies) addNamespace(p.namespace);
  for (const w of policySet.workloads) addNamespace(w.namespace);

  const synthesized = policySet.workloads.length === 0;
  const drafts: PodDraft[] = synthesized
    ? synthesizePods(policySet.policies, namespaces)
    : workloadPods(policySet);
  for (const d of drafts) addNamespace(d.namespace);
  for (const [name, ns] of namespaces) if (!ns.labels.has(NAMESPACE_NAME_LABEL)) ns.labels.set(NAMESPACE_NAME_LABEL, name);

  drafts.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
  const ips = assignAddresses(drafts, cidr, podCIDR);
  const pods: InventoryPod[] = drafts.map((d, index) => ({
    index,
    namespace: d.namespace,
    name: d.name,
    ...(d.workload ? { workload: d.workload } : {}),
    labels: sortLabels(d.labels),
    ports: d.ports,
    ip: ips[index]!.ip,
    ipSource: ips[index]!.source,
  }));
  return {
    namespaces: [...namespaces]
      .map(([name, ns]) => ({ name, labels: sortLabels(ns.labels) }))
      .sort((a, b) => cmp(a.name, b.name)),
    pods,
    synthesized,
    podCIDR,
  };
}

interface PodDraft {
  namespace: string;
  name: string;
  workload?: { kind: WorkloadKind; name: string };
  labels: Map<string, string>;
  ports: readonly ContainerPort[];
  podIP?: string;
}

/** The representative pod's name: a Pod's own, `<name>-0` for a StatefulSet, else the workload's. */
function workloadPods(policySet: PolicySet): PodDraft[] {
  const drafts: PodDraft[] = policySet.workloads.map((w) => ({
    namespace: w.namespace,
    name: w.kind === 'StatefulSet' ? `${w.name}-0` : w.name,
    workload: { kind: w.kind, name: w.name },
    labels: new Map(w.labels),
    ports: w.ports,
    ...(w.podIP !== undefined ? { podIP: w.podIP } : {}),
  }));
  // Two workloads of different kinds may share a name; the pod of the non-Pod one says its kind.
  const byName = new Map<string, PodDraft[]>();
  for (const d of drafts) {
    const k = podRef(d);
    byName.set(k, [...(byName.get(k) ?? []), d]);
  }
  for (const group of byName.values()) {
    if (group.length < 2) continue;
    for (const d of group) if (d.workload!.kind !== 'Pod') d.name = `${d.name}-${d.workload!.kind.toLowerCase()}`;
  }
  return drafts;
}

/**
 * Addresses: `status.podIP` where given (and free), else a stable address inside the pod CIDR from a
 * hash of `namespace/name`, moving on to the next free one on a collision. Never the network or
 * broadcast address. Pods are taken in sorted order, so the result is deterministic.
 */
function assignAddresses(drafts: readonly PodDraft[], cidr: Cidr, podCIDR: string): { ip: Address; source: 'status' | 'assigned' }[] {
  const taken = new Set<string>();
  const out: ({ ip: Address; source: 'status' | 'assigned' } | undefined)[] = drafts.map((d) => {
    const a = d.podIP !== undefined ? parseAddress(d.podIP) : undefined;
    if (!a || taken.has(addressKey(a))) return undefined;
    taken.add(addressKey(a));
    return { ip: a, source: 'status' };
  });
  const usable = cidrSize(cidr) - 2n;
  const needed = BigInt(out.filter((o) => !o).length);
  if (needed > 0n && usable < needed) {
    throw new UserError(`podCIDR: ${podCIDR} has ${usable < 0n ? 0n : usable} usable addresses, but ${needed} pods need one; configure a larger podCIDR`);
  }
  drafts.forEach((d, i) => {
    if (out[i]) return;
    let offset = fnv1a64(podRef(d)) % usable;
    for (;;) {
      const ip: Address = { family: cidr.family, value: cidr.network + 1n + offset };
      if (!taken.has(addressKey(ip))) {
        taken.add(addressKey(ip));
        out[i] = { ip, source: 'assigned' };
        return;
      }
      offset = (offset + 1n) % usable;
    }
  });
  return out as { ip: Address; source: 'status' | 'assigned' }[];
}

function fnv1a64(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

// ---------------------------------------------------------------------------------------------
// Synthesized inventory

/** How many label sets one selector may contribute (the product of its expressions' variants). */
const MAX_VARIANTS = 16;
/** A label value for Exists / "some other value". */
const SOME_VALUE = 'any';

type Variant = Map<string, string>;

/**
 * Label sets that exercise a selector: ones it selects (every value of an `In`, a pod without a
 * `NotIn` / `DoesNotExist` key, `Exists` with some value) and, for `NotIn` / `DoesNotExist`, ones it
 * must not select, since that is where a translation that loses expressions goes wrong.
 */
function selectorVariants(sel: LabelSelector): Variant[] {
  let variants: Variant[] = [new Map(sel.matchLabels)];
  for (const e of sel.matchExpressions) {
    const options: ((m: Variant) => void)[] = [];
    switch (e.operator) {
      case 'In':
        for (const v of e.values) options.push((m) => m.set(e.key, v));
        break;
      case 'NotIn':
        options.push((m) => m.delete(e.key));
        for (const v of e.values) options.push((m) => m.set(e.key, v));
        break;
      case 'Exists':
        options.push((m) => m.set(e.key, SOME_VALUE));
        break;
      case 'DoesNotExist':
        options.push((m) => m.delete(e.key), (m) => m.set(e.key, SOME_VALUE));
        break;
    }
    if (options.length === 0) continue;
    const next: Variant[] = [];
    for (const v of variants) {
      for (const apply of options) {
        if (next.length >= MAX_VARIANTS) break;
        const m = new Map(v);
        apply(m);
        next.push(m);
      }
    }
    variants = next;
  }
  return variants;
}

/** Enough of label-selector matching to place synthesized pods (the evaluators have their own). */
function selects(sel: LabelSelector, labels: ReadonlyMap<string, string>): boolean {
  for (const [k, v] of sel.matchLabels) if (labels.get(k) !== v) return false;
  for (const e of sel.matchExpressions) {
    const v = labels.get(e.key);
    const ok =
      e.operator === 'In' ? v !== undefined && e.values.includes(v)
      : e.operator === 'NotIn' ? v === undefined || !e.values.includes(v)
      : e.operator === 'Exists' ? v !== undefined
      : v === undefined;
    if (!ok) return false;
  }
  return true;
}

const labelKey = (m: ReadonlyMap<string, string>): string =>
  sortLabels(m)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** A DNS-label-like name from labels: `role-db`, `app-web.tier-front`. */
function nameFromLabels(m: ReadonlyMap<string, string>, empty: string): string {
  const text = sortLabels(m)
    .map(([k, v]) => `${k.replace(/^.*\//, '')}-${v}`)
    .join('.')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 63);
  return text || empty;
}

function synthesizePods(
  policies: readonly NetworkPolicy[],
  namespaces: ReadonlyMap<string, { labels: Map<string, string> }>,
): PodDraft[] {
  const peers = policies.flatMap((p) =>
    [...p.ingress, ...p.egress].flatMap((r) => r.peers.map((peer) => ({ policy: p, peer }))),
  );

  // Namespaces are not made up: the compiler gives each namespace the repository knows its
  // allow-all rules, and a pod in a namespace it does not know would be denied for that reason alone.
  const nsLabelsOf = (name: string): Map<string, string> => {
    const m = new Map(namespaces.get(name)!.labels);
    m.set(NAMESPACE_NAME_LABEL, name);
    return m;
  };

  const sets = new Map<string, Map<string, Variant>>(); // namespace -> label key -> labels
  const add = (ns: string, labels: Variant) => {
    if (!sets.has(ns)) sets.set(ns, new Map());
    sets.get(ns)!.set(labelKey(labels), labels);
  };
  for (const ns of namespaces.keys()) add(ns, new Map());
  for (const p of policies) for (const v of selectorVariants(p.podSelector)) add(p.namespace, v);
  for (const { policy, peer } of peers) {
    if (!peer.podSelector) continue;
    const where = peer.namespaceSelector
      ? [...namespaces.keys()].filter((ns) => selects(peer.namespaceSelector!, nsLabelsOf(ns)))
      : [policy.namespace];
    for (const v of selectorVariants(peer.podSelector)) for (const ns of where) add(ns, v);
  }

  const drafts: PodDraft[] = [];
  for (const [ns, byKey] of sets) {
    const used = new Set<string>();
    for (const [, labels] of [...byKey].sort((a, b) => cmp(a[0], b[0]))) {
      let name = nameFromLabels(labels, 'unlabelled');
      for (let n = 2; used.has(name); n++) name = `${nameFromLabels(labels, 'unlabelled')}-${n}`;
      used.add(name);
      drafts.push({ namespace: ns, name, labels, ports: [] });
    }
  }
  return drafts;
}

/** Names of pods close to `text` (same name in another namespace, or a shared prefix), for error messages. */
function closeNames(inventory: Inventory, text: string): string[] {
  const wanted = text.includes('/') ? text.slice(text.indexOf('/') + 1) : text;
  const score = (p: InventoryPod): number => {
    const names = [p.name, p.workload?.name ?? p.name];
    if (names.includes(wanted)) return 0;
    if (names.some((n) => n.startsWith(wanted) || wanted.startsWith(n))) return 1;
    if (names.some((n) => n.includes(wanted) || editDistance(n, wanted) <= 2)) return 2;
    return 9;
  };
  return inventory.pods
    .map((p) => ({ ref: podRef(p), s: score(p) }))
    .filter((x) => x.s < 9)
    .sort((a, b) => a.s - b.s || cmp(a.ref, b.ref))
    .slice(0, 5)
    .map((x) => x.ref);
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * A pod by `namespace/name` (the representative pod's or the workload's name) or by bare name when
 * that is unique. Throws a UserError listing close names when there is none.
 */
export function findPod(inventory: Inventory, text: string): InventoryPod {
  const slash = text.indexOf('/');
  const ns = slash >= 0 ? text.slice(0, slash) : undefined;
  const name = slash >= 0 ? text.slice(slash + 1) : text;
  const inNs = (p: InventoryPod) => ns === undefined || p.namespace === ns;
  const exact = inventory.pods.filter((p) => inNs(p) && p.name === name);
  const byWorkload = inventory.pods.filter((p) => inNs(p) && p.workload?.name === name);
  const found = exact.length > 0 ? exact : byWorkload;
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new UserError(`"${text}" names ${found.length} pods: ${found.map(podRef).join(', ')}; write namespace/name`);
  }
  const close = closeNames(inventory, text);
  const hint = close.length > 0 ? `; close names: ${close.join(', ')}` : inventory.pods.length === 0 ? '; the inventory has no pods' : '';
  throw new UserError(`no pod "${text}" in the inventory${hint}`);
}

/** A probe end: a pod, or an address that is not a pod's. An address that is a pod's means that pod. */
export type FlowEnd = { readonly pod: InventoryPod } | { readonly address: Address };

export function resolveEnd(inventory: Inventory, text: string): FlowEnd {
  const a = parseAddress(text);
  if (a) {
    const pod = inventory.pods.find((p) => p.ip.family === a.family && p.ip.value === a.value);
    return pod ? { pod } : { address: a };
  }
  return { pod: findPod(inventory, text) };
}

export function endName(e: FlowEnd): string {
  return 'pod' in e ? podRef(e.pod) : formatAddress(e.address);
}
