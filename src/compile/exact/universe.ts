/**
 * What mode `exact` knows about the cluster beyond the policies: the namespaces (with their labels,
 * which reach their pods as tags), the workloads' pods (labels, container ports, tags) and the
 * addresses pods can have. It decides which tag terms can select a pod at all, which label keys
 * pods use (a namespace selector on such a key is not exact as a tag), and what a named port is.
 */
import { cmp, UserError } from '../../diagnostics.js';
import type { ContainerPort, LabelSelector, PolicySet, Workload, WorkloadKind } from '../../model/policy.js';
import { NAMESPACE_NAME_LABEL } from '../../simulate/inventory.js';
import { parseAddress, parseCidr } from '../../net/ip.js';
import { tagText, workloadTagMap } from '../../snapshot/workload-tags.js';
import { type Cidr, hostCidr } from './prefixes.js';
import { namespaceOf, Term } from './terms.js';

/** Where a workload kind keeps its pod template's labels. */
export function podLabelsPath(kind: WorkloadKind): string[] {
  if (kind === 'Pod') return ['metadata', 'labels'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'];
  return ['spec', 'template', 'metadata', 'labels'];
}

/** The tag type a label key becomes (Contrail lower-cases it; `/` is written `__slash__`). */
const tagTypes = new Map<string, string>();
export function tagType(key: string): string {
  let t = tagTypes.get(key);
  if (t === undefined) tagTypes.set(key, (t = tagText(key).toLowerCase()));
  return t;
}

export const tagPair = (key: string, value: string): [string, string] => [tagType(key), tagText(value)];

export interface KnownNamespace {
  readonly name: string;
  /** As Kubernetes has them, `kubernetes.io/metadata.name` included. */
  readonly labels: ReadonlyMap<string, string>;
  /** The tags the namespace puts on every pod in it: `namespace=<name>` and one per label. */
  readonly tags: Term;
}

export interface KnownPod {
  /** The workload, as messages name it: `Deployment shop/web`. */
  readonly ref: string;
  readonly workload: Workload;
  readonly labels: ReadonlyMap<string, string>;
  /** Every tag the pod carries except an inherited `application=<cluster>`. */
  readonly tags: Term;
  readonly ports: readonly ContainerPort[];
  /** `status.podIP` as a single-address prefix, when the manifest gives it and no other pod claims it. */
  readonly address?: Cidr;
  /** `status.podIP` that another pod claims too: which of them really has it is unknown. */
  readonly contestedAddress?: Cidr;
}

export interface UniverseOptions {
  readonly cluster: string;
  readonly podCIDR: string;
}

export class Universe {
  readonly cluster: string;
  /** Sorted by name: the namespaces the repository knows (manifests, policies, workloads). */
  readonly namespaces: ReadonlyMap<string, KnownNamespace>;
  readonly pods: readonly KnownPod[];
  readonly podCIDR: string;
  readonly podNetwork: Cidr;
  /** Some pod takes its address from the pod network (a workload without `status.podIP`, or made-up pods). */
  readonly assignedAddresses: boolean;
  /** Tag types that pods carry from a label of their own (not overridden by their namespace's). */
  readonly podLabelTypes: ReadonlySet<string>;
  /**
   * Tag types that only namespace selectors speak of (no pod selector, no pod label): on a pod such
   * a tag can only come from its namespace, so a term asking for one in a namespace without that
   * label selects nothing.
   */
  readonly namespaceOnlyTypes: ReadonlySet<string>;
  /**
   * Tag types a pod may carry from a label of its own: the manifests' pod labels and every pod
   * selector's keys (the policies say pods carry them). A namespace selector on one of these, or on
   * `namespace` / `application`, is not exact as a tag and is resolved to `namespace=` tags.
   */
  readonly spoofableTypes: ReadonlySet<string>;
  private readonly podsByNamespace = new Map<string, KnownPod[]>();
  private readonly namespacesByType = new Map<string, KnownNamespace[]>();
  private readonly namespaceTags = new Map<string, ReadonlyMap<string, string>>();
  private readonly possibleCache = new WeakMap<Term, boolean>();
  /** Label keys of the manifests (pods' and namespaces') by the tag type they become. */
  private readonly keysByType: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(input: PolicySet, options: UniverseOptions) {
    this.cluster = options.cluster;
    this.podCIDR = options.podCIDR;
    const labels = new Map<string, Map<string, string>>();
    const add = (name: string, l: readonly (readonly [string, string])[] = []) => {
      if (!labels.has(name)) labels.set(name, new Map(l));
    };
    for (const ns of input.namespaces) add(ns.name, ns.labels);
    for (const p of input.policies) add(p.namespace);
    for (const w of input.workloads) add(w.namespace);
    const namespaces = new Map<string, KnownNamespace>();
    for (const name of [...labels.keys()].sort(cmp)) {
      const l = labels.get(name)!;
      if (!l.has(NAMESPACE_NAME_LABEL)) l.set(NAMESPACE_NAME_LABEL, name);
      const tags = Term.of([['namespace', name], ...[...l].map(([k, v]) => tagPair(k, v))]) ?? Term.of([['namespace', name]])!;
      namespaces.set(name, { name, labels: l, tags });
    }
    this.namespaces = namespaces;
    for (const ns of namespaces.values()) {
      this.namespaceTags.set(ns.name, new Map(ns.tags.entries));
      for (const k of ns.labels.keys()) this.namespacesByType.set(tagType(k), [...(this.namespacesByType.get(tagType(k)) ?? []), ns]);
    }

    const podLabelTypes = new Set<string>();
    const keys = new Map<string, Set<string>>();
    const noteKey = (key: string) => {
      const t = tagType(key);
      if (!keys.has(t)) keys.set(t, new Set());
      keys.get(t)!.add(key);
    };
    for (const ns of namespaces.values()) for (const k of ns.labels.keys()) noteKey(k);
    const claims = new Map<string, number>();
    for (const w of input.workloads) {
      const a = w.podIP !== undefined ? parseAddress(w.podIP) : undefined;
      if (a) claims.set(`${a.family}:${a.value}`, (claims.get(`${a.family}:${a.value}`) ?? 0) + 1);
    }
    this.pods = input.workloads.map((w) => {
      const ns = namespaces.get(w.namespace)!;
      const tagMap = workloadTagMap(options.cluster, w.namespace, [...ns.labels], w.labels);
      if (tagMap.get('application') === options.cluster && !w.labels.some(([k]) => tagType(k) === 'application')) tagMap.delete('application');
      for (const [k] of w.labels) {
        noteKey(k);
        if (![...ns.labels.keys()].some((nk) => tagType(nk) === tagType(k))) podLabelTypes.add(tagType(k));
      }
      const address = w.podIP !== undefined ? parseAddress(w.podIP) : undefined;
      const contested = address !== undefined && claims.get(`${address.family}:${address.value}`)! > 1;
      return {
        ref: `${w.kind} ${w.namespace}/${w.name}`,
        workload: w,
        labels: new Map(w.labels),
        tags: Term.of(tagMap)!,
        ports: w.ports,
        ...(address ? { [contested ? 'contestedAddress' : 'address']: hostCidr(address) } : {}),
      };
    });
    this.podLabelTypes = podLabelTypes;
    for (const p of this.pods) {
      const ns = p.tags.get('namespace')!;
      this.podsByNamespace.set(ns, [...(this.podsByNamespace.get(ns) ?? []), p]);
    }

    const podSelectorTypes = new Set<string>();
    const nsSelectorTypes = new Set<string>();
    const selectorKeys = (sel: LabelSelector | undefined, into: Set<string>) => {
      if (!sel) return;
      for (const [k] of sel.matchLabels) into.add(tagType(k));
      for (const r of sel.matchExpressions) into.add(tagType(r.key));
    };
    for (const p of input.policies) {
      selectorKeys(p.podSelector, podSelectorTypes);
      for (const r of [...p.ingress, ...p.egress]) {
        for (const peer of r.peers) {
          selectorKeys(peer.podSelector, podSelectorTypes);
          selectorKeys(peer.namespaceSelector, nsSelectorTypes);
        }
      }
    }
    this.namespaceOnlyTypes = new Set(
      [...nsSelectorTypes].filter((t) => !podSelectorTypes.has(t) && !podLabelTypes.has(t) && t !== 'namespace' && t !== 'application'),
    );
    this.spoofableTypes = new Set([...podLabelTypes, ...podSelectorTypes, 'namespace', 'application']);
    this.keysByType = keys;

    const network = parseCidr(options.podCIDR);
    if (!network) throw new UserError(`podCIDR: "${options.podCIDR}" is not a CIDR (write it like 10.244.0.0/16)`);
    this.podNetwork = network;
    this.assignedAddresses = this.pods.length === 0 || this.pods.some((p) => !p.address);
  }

  /**
   * Every pod, as tag terms: `application=<cluster>`, which every pod carries unless a label
   * `application` (its own or its namespace's) replaces it, and each such label's value.
   */
  everyPodTerms(): Term[] {
    const values = new Set<string>([this.cluster]);
    for (const p of this.pods) values.add(p.tags.get('application') ?? this.cluster);
    for (const ns of this.namespaces.values()) {
      const v = ns.tags.get('application');
      if (v !== undefined) values.add(v);
    }
    return [...values].sort(cmp).map((v) => Term.of([['application', v]])!);
  }

  /** The namespaces with a label of this tag type (sorted by name). */
  namespacesCarrying(type: string): readonly KnownNamespace[] {
    return this.namespacesByType.get(type) ?? [];
  }

  /** Other label keys that become the same tag type as `key` (`App` and `app`, `a/b` and `a__slash__b`). */
  collidingKeys(key: string): string[] {
    return [...(this.keysByType.get(tagType(key)) ?? [])].filter((k) => k !== key).sort(cmp);
  }

  /**
   * Whether some pod can carry every tag of the term, given what is known of namespaces: a pod in a
   * known namespace carries that namespace's label tags (they win over its own labels).
   */
  possible(term: Term): boolean {
    let known = this.possibleCache.get(term);
    if (known === undefined) {
      known = this.check(term);
      this.possibleCache.set(term, known);
    }
    return known;
  }

  private check(term: Term): boolean {
    const nsName = namespaceOf(term);
    const ns = nsName === undefined ? undefined : this.namespaceTags.get(nsName);
    if (!ns) return true;
    for (const [t, v] of term.entries) {
      const nsValue = ns.get(t);
      if (nsValue !== undefined && nsValue !== v) return false;
      if (nsValue === undefined && this.namespaceOnlyTypes.has(t)) return false;
    }
    return true;
  }

  /** The pods both terms select, when some pod can be in both. */
  intersect(a: Term, b: Term): Term | undefined {
    const t = a.intersect(b);
    return t && this.possible(t) ? t : undefined;
  }

  private readonly memo = new Map<string, unknown>();

  /** `compute()` once per key: results that depend on the universe only (an address group's pods). */
  remember<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  /** The known pods a term selects. */
  podsOf(term: Term): KnownPod[] {
    const ns = namespaceOf(term);
    const pool = ns === undefined ? this.pods : (this.podsByNamespace.get(ns) ?? []);
    return pool.filter((p) => term.covers(p.tags));
  }
}
