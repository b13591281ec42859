/**
 * What Kubernetes specifies (NetworkPolicy v1): a connection from A to B on a port is allowed iff
 * (A is not egress-isolated, or an egress rule of a policy selecting A allows B on that port) and
 * (B is not ingress-isolated, or an ingress rule of a policy selecting B allows A on that port).
 *
 * Evaluated from the policy model only; nothing here is shared with the Contrail evaluator, so the
 * two can disagree and `verify` can tell. Endpoints are grouped in classes (same namespace, labels,
 * named ports and position relative to every ipBlock), and a class pair is answered on all probe
 * points at once as a bit mask.
 */
import type { LabelSelector, NetworkPolicy, PolicyPort, PolicySet, Protocol } from '../model/policy.js';
import { policyKey } from '../model/policy.js';
import { type Address, parseCidr, PrefixMap } from '../net/ip.js';
import { endName, type FlowEnd, type Inventory, type InventoryPod } from './inventory.js';
import { type PointMask, type ProbePoint, type ProbeSpace, formatPoint } from './probe-space.js';

export type PolicyDirection = 'ingress' | 'egress';

/** A rule of a NetworkPolicy, and the peer and port entry in it that matched (null: the list is empty, so all match). */
export interface KubernetesRuleRef {
  /** `namespace/name`. */
  readonly policy: string;
  readonly direction: PolicyDirection;
  readonly rule: number;
  readonly peer: number | null;
  readonly port: number | null;
}

export interface KubernetesAllowingRule {
  readonly policy: string;
  readonly direction: PolicyDirection;
  readonly rule: number;
  /** Written indexes of the matching peers; null when the rule lists none (every peer). */
  readonly peers: readonly number[] | null;
  /** Written indexes of the matching port entries; null when the rule lists none (every port). */
  readonly ports: readonly number[] | null;
}

/** How one end decided: the sender's egress or the receiver's ingress. */
export interface KubernetesEndReason {
  readonly end: PolicyDirection;
  /** The pod whose policies decide at this end. */
  readonly pod: string;
  readonly isolated: boolean;
  /** The policies that isolate the pod in this direction, sorted. */
  readonly policies: readonly string[];
  readonly allowed: boolean;
  /** The first rule (in policy, rule, peer, port order) that allows the flow. */
  readonly rule?: KubernetesRuleRef;
  readonly message: string;
}

export interface KubernetesVerdict {
  readonly allowed: boolean;
  /** The sender's egress end (when the sender is a pod), then the receiver's ingress end (when it is a pod). */
  readonly reasons: readonly KubernetesEndReason[];
}

interface CompiledRule {
  readonly id: number;
  readonly policy: number;
  readonly direction: PolicyDirection;
  readonly index: number;
  readonly peers: readonly CompiledPeer[];
  readonly ports: readonly PolicyPort[];
  /** The rule's points when no port is named; undefined when one is (resolved per destination). */
  readonly staticMask?: PointMask;
}

/** A peer as matching reads it: fields of its own, every one always present (one object shape, read often). */
interface CompiledPeer {
  /** Index in the `from` / `to` list as written. */
  readonly index: number;
  /** An ipBlock's CIDR (undefined when it does not parse) and excepts, as indexes of distinct CIDRs (an end's region knows which hold its address). */
  readonly ipBlock: { readonly cidr: number | undefined; readonly except: readonly number[] } | undefined;
  /** A selector peer's group: which namespaces' pods it can match. */
  readonly group: number | undefined;
  /** A selector peer's podSelector; undefined: every pod of those namespaces. */
  readonly podSelector: LabelSelector | undefined;
}

/**
 * The ends whose address lies in the same of the policies' CIDRs. They match the same ipBlock
 * peers, so what ipBlocks decide is worked out once per region rather than once per end: the pods
 * of one pod network are usually all in one region.
 */
interface Region {
  /** Indexes of the distinct CIDRs that hold the address. */
  readonly cidrs: ReadonlySet<number>;
  /** Ids of the rules an ipBlock peer of which matches these ends. */
  readonly rules: ReadonlySet<number>;
  readonly ingressRules: readonly number[];
  readonly egressRules: readonly number[];
  /** The classes of its ends. */
  readonly classes: number[];
}

/**
 * The selector peers (not ipBlocks) that can match pods of the same namespaces: those of one
 * namespace's policies without a namespaceSelector, or those with one namespaceSelector. A pod's
 * namespace meets the namespace condition of a few groups; of their peers, it looks at those whose
 * podSelector requires none of its labels, or first one of its labels, instead of at every peer.
 */
interface PeerGroup {
  readonly id: number;
  /** The policies' namespace, for peers without a namespaceSelector. */
  readonly namespace?: string;
  readonly namespaceSelector?: LabelSelector;
  /** The peers, by the first label their podSelector requires. */
  readonly peers: FirstLabelIndex<GroupedPeer>;
  /** The namespaces seen so far (those of the pods classified) whose namespace condition it meets. */
  readonly namespaces: string[];
}

interface GroupedPeer {
  /** The id of the peer's rule. */
  readonly rule: number;
  readonly podSelector: LabelSelector | undefined;
}

/** The peer groups whose namespace condition a namespace meets. */
interface NamespaceGroups {
  readonly ids: ReadonlySet<number>;
  readonly groups: readonly PeerGroup[];
}

/** What peer matching reads of an end. */
type EndView = Pick<EndClass, 'region' | 'labels' | 'groups'>;

interface EndClass {
  readonly region: Region;
  readonly pod?: InventoryPod;
  readonly address?: Address;
  readonly labels?: ReadonlyMap<string, string>;
  /** `key=value` of each label. */
  readonly labelKeys: readonly string[];
  /** The peer groups of the pod's namespace (none for an address). */
  readonly groups: NamespaceGroups;
  /** Ids of the rules of the policies that select this pod (empty for an address). */
  readonly ingressRules: readonly number[];
  readonly egressRules: readonly number[];
  readonly ingressPolicies: readonly number[];
  readonly egressPolicies: readonly number[];
  /** Rule masks resolved against this end as the destination (named ports), by rule id. */
  readonly destMasks: Map<number, PointMask>;
}

/**
 * Items filed under the first label their selector requires (`key=value`), or under none when it
 * requires none (absent, empty, or expressions only): the items that may select a set of labels
 * are found by looking those labels up instead of testing every item's selector.
 */
class FirstLabelIndex<T> {
  private readonly byLabel = new Map<string, T[]>();
  private readonly anyLabels: T[] = [];

  add(selector: LabelSelector | undefined, item: T): void {
    const first = selector?.matchLabels[0];
    if (first) push(this.byLabel, labelKey(first), item);
    else this.anyLabels.push(item);
  }

  /** Calls `visit` with each item whose selector may select labels `labelKeys` (`key=value`): its selector is still to test. */
  candidates(labelKeys: readonly string[], visit: (item: T) => void): void {
    for (const item of this.anyLabels) visit(item);
    for (const k of labelKeys) for (const item of this.byLabel.get(k) ?? []) visit(item);
  }
}

function selectorMatches(sel: LabelSelector, labels: ReadonlyMap<string, string>): boolean {
  for (const [k, v] of sel.matchLabels) if (labels.get(k) !== v) return false;
  for (const req of sel.matchExpressions) {
    const value = labels.get(req.key);
    switch (req.operator) {
      case 'In':
        if (value === undefined || !req.values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && req.values.includes(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      case 'DoesNotExist':
        if (value !== undefined) return false;
        break;
    }
  }
  return true;
}

/** Equal for selectors that select the same (source positions left out). */
const selectorKey = (sel: LabelSelector): string =>
  JSON.stringify([sel.matchLabels, sel.matchExpressions.map((e) => [e.key, e.operator, e.values])]);

const labelKey = ([k, v]: readonly [string, string]): string => `${k}=${v}`;

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** An ipBlock peer matches an address inside its CIDR and outside every one of its excepts. */
function insideBlock(cp: CompiledPeer, cidrs: ReadonlySet<number>): boolean {
  const block = cp.ipBlock;
  return block !== undefined && block.cidr !== undefined && cidrs.has(block.cidr) && !block.except.some((e) => cidrs.has(e));
}

const NO_GROUPS: NamespaceGroups = { ids: new Set(), groups: [] };

/**
 * Classification keeps what every use needs (an end's region, labels, the policies selecting it);
 * which rules an end is a peer of, and which ends a rule's peers match, are looked up when a mask
 * or a row needs them, through the indexes below: the diff asks for few rows of many classes.
 */
export class KubernetesEvaluator {
  private readonly policies: readonly NetworkPolicy[];
  private readonly rules: CompiledRule[] = [];
  /** The ids of the distinct CIDRs of the ipBlocks (cidrs and excepts; peers repeat them): an address finds those holding it by lookup. */
  private readonly cidrIds = new PrefixMap<number>();
  /** By distinct CIDR: ids of the rules with an ipBlock peer of that CIDR. */
  private readonly ipBlockRulesByCidr: number[][] = [];
  private readonly regions = new Map<string, Region>();
  /** By rule id: the regions an ipBlock peer of the rule matches. */
  private readonly regionsByRule: Region[][];
  private readonly peerGroups: PeerGroup[] = [];
  private readonly sameNamespaceGroups = new Map<string, PeerGroup>();
  /** By namespaceSelector: peers repeat a few selectors, and each is tested once per namespace. */
  private readonly selectorGroups = new Map<string, PeerGroup>();
  /** The same groups by their namespaceSelector: a namespace tests only those that may select it. */
  private readonly selectorGroupsIndex = new FirstLabelIndex<PeerGroup>();
  private readonly namespaceGroupsMemo = new Map<string, NamespaceGroups>();
  /** Rules that list no peer: every end is a peer of them. */
  private readonly everyPeerRules: { readonly ingress: number[]; readonly egress: number[] } = { ingress: [], egress: [] };
  private readonly classes: EndClass[] = [];
  /** 0 .. classes.length - 1: whom a rule that lists no peer matches. */
  private readonly classIds: number[] = [];
  private readonly classByKey = new Map<string, number>();
  private readonly podClass = new Map<InventoryPod, number>();
  /** The classes of pods by namespace, and in it by label (those in `peerFirstLabels`): where the classes a selector peer matches are looked up. */
  private readonly podClassIndex = new Map<string, { all: number[]; byLabel: Map<string, number[]> }>();
  /** By rule id: the classes a selector peer of the rule matches, found among the first `upTo` classes. */
  private readonly selectorClassMemo = new Map<number, { upTo: number; classes: number[] }>();
  private readonly nsLabels: ReadonlyMap<string, ReadonlyMap<string, string>>;
  private readonly full: PointMask;
  private readonly policyIngressRules: number[][];
  private readonly policyEgressRules: number[][];
  /** By namespace: its policies, by their podSelector. */
  private readonly policiesByNamespace = new Map<string, FirstLabelIndex<number>>();
  /** The first labels selector peers require (`key=value`): the only labels a class is filed under in `podClassIndex`. */
  private readonly peerFirstLabels = new Set<string>();
  /** By policy: the classes it isolates, per direction. */
  private readonly ingressSelected: number[][];
  private readonly egressSelected: number[][];
  private readonly scratch: { egress: PointMask; ingress: PointMask; allowed: PointMask };
  private lineBuffers: { allowed: Uint32Array; other: Uint32Array } | undefined;
  /** Per class, the full mask where it is not isolated (receivers: for ingress; senders: for egress), else none; made again when classes were added. */
  private openLines: { n: number; receivers: Uint32Array; senders: Uint32Array } | undefined;
  private readonly isolatingCache = new Map<string, string[]>();
  /** Rules repeat a few lists of port entries: each list's mask is made once. */
  private readonly portListMasks = new Map<string, PointMask>();

  constructor(
    policySet: PolicySet,
    inventory: Inventory,
    private readonly space: ProbeSpace,
  ) {
    this.policies = policySet.policies;
    this.nsLabels = new Map(inventory.namespaces.map((ns) => [ns.name, new Map(ns.labels)]));
    this.full = space.full();
    this.scratch = { egress: space.empty(), ingress: space.empty(), allowed: space.empty() };
    this.policyIngressRules = this.policies.map(() => []);
    this.policyEgressRules = this.policies.map(() => []);
    this.ingressSelected = this.policies.map(() => []);
    this.egressSelected = this.policies.map(() => []);
    this.policies.forEach((p, pi) => {
      let index = this.policiesByNamespace.get(p.namespace);
      if (!index) {
        index = new FirstLabelIndex();
        this.policiesByNamespace.set(p.namespace, index);
      }
      index.add(p.podSelector, pi);
    });
    this.policies.forEach((p, pi) => {
      for (const direction of ['ingress', 'egress'] as const) {
        for (const r of direction === 'ingress' ? p.ingress : p.egress) {
          const id = this.rules.length;
          const peers = r.peers.map((peer): CompiledPeer => {
            if (peer.ipBlock) {
              const cidr = this.cidrId(peer.ipBlock.cidr);
              const except = peer.ipBlock.except.flatMap((text) => this.cidrId(text) ?? []);
              if (cidr !== undefined) this.ipBlockRulesByCidr[cidr]!.push(id);
              return { index: peer.index, ipBlock: { cidr, except }, group: undefined, podSelector: undefined };
            }
            const group = peer.namespaceSelector ? this.selectorGroup(peer.namespaceSelector) : this.sameNamespaceGroup(p.namespace);
            const { podSelector } = peer;
            group.peers.add(podSelector, { rule: id, podSelector });
            const first = podSelector?.matchLabels[0];
            if (first) this.peerFirstLabels.add(labelKey(first));
            return { index: peer.index, ipBlock: undefined, group: group.id, podSelector };
          });
          const named = r.ports.some((pp) => typeof pp.port === 'string');
          this.rules.push({
            id,
            policy: pi,
            direction,
            index: r.index,
            peers,
            ports: r.ports,
            ...(named ? {} : { staticMask: this.portListMask(r.ports) }),
          });
          (direction === 'ingress' ? this.policyIngressRules : this.policyEgressRules)[pi]!.push(id);
          if (peers.length === 0) this.everyPeerRules[direction].push(id);
        }
      }
    });
    this.regionsByRule = this.rules.map(() => []);
  }

  /** The points a list of port entries without named ports lets through (masks are shared: never written to). */
  private portListMask(ports: readonly PolicyPort[]): PointMask {
    const key = ports.map((pp) => `${pp.protocol}/${pp.port ?? ''}/${pp.endPort ?? ''}`).join(',');
    let mask = this.portListMasks.get(key);
    if (!mask) {
      mask = this.space.where((pt) => this.portsAllow(ports, pt, undefined));
      this.portListMasks.set(key, mask);
    }
    return mask;
  }

  /** The index of a distinct CIDR (a new one is added); undefined when the text is no CIDR. */
  private cidrId(text: string): number | undefined {
    const c = parseCidr(text);
    if (!c) return undefined;
    let id = this.cidrIds.get(c);
    if (id === undefined) {
      id = this.ipBlockRulesByCidr.length;
      this.ipBlockRulesByCidr.push([]);
      this.cidrIds.set(c, id);
    }
    return id;
  }

  private newGroup(condition: { namespace: string } | { namespaceSelector: LabelSelector }): PeerGroup {
    const group: PeerGroup = { id: this.peerGroups.length, ...condition, peers: new FirstLabelIndex(), namespaces: [] };
    this.peerGroups.push(group);
    return group;
  }

  private sameNamespaceGroup(namespace: string): PeerGroup {
    let group = this.sameNamespaceGroups.get(namespace);
    if (!group) {
      group = this.newGroup({ namespace });
      this.sameNamespaceGroups.set(namespace, group);
    }
    return group;
  }

  private selectorGroup(namespaceSelector: LabelSelector): PeerGroup {
    const key = selectorKey(namespaceSelector);
    let group = this.selectorGroups.get(key);
    if (!group) {
      group = this.newGroup({ namespaceSelector });
      this.selectorGroups.set(key, group);
      this.selectorGroupsIndex.add(namespaceSelector, group);
    }
    return group;
  }

  /** The groups of a namespace: its own policies' peers, and those of the namespaceSelectors that select it. */
  private namespaceGroups(namespace: string): NamespaceGroups {
    let found = this.namespaceGroupsMemo.get(namespace);
    if (!found) {
      const nsLabels = this.nsLabels.get(namespace) ?? new Map<string, string>();
      const own = this.sameNamespaceGroups.get(namespace);
      const groups = own ? [own] : [];
      this.selectorGroupsIndex.candidates([...nsLabels].map(labelKey), (g) => {
        if (selectorMatches(g.namespaceSelector!, nsLabels)) groups.push(g);
      });
      found = { ids: new Set(groups.map((g) => g.id)), groups };
      this.namespaceGroupsMemo.set(namespace, found);
      for (const g of groups) g.namespaces.push(namespace);
    }
    return found;
  }

  /** The class of a probe end; ends of one class get the same answer for every probe. */
  classify(end: FlowEnd): number {
    const memo = 'pod' in end ? this.podClass.get(end.pod) : undefined;
    if (memo !== undefined) return memo;
    const id = this.classifyUncached(end);
    if ('pod' in end) this.podClass.set(end.pod, id);
    return id;
  }

  private classifyUncached(end: FlowEnd): number {
    const [regionKey, region] = this.regionOf('pod' in end ? end.pod.ip : end.address);
    const labelKeys = 'pod' in end ? end.pod.labels.map(labelKey) : [];
    const key = this.classKey(end, labelKeys, regionKey);
    let id = this.classByKey.get(key);
    if (id === undefined) {
      id = this.classes.length;
      this.classes.push(this.buildClass(end, region, labelKeys, id));
      this.classIds.push(id);
      this.classByKey.set(key, id);
    }
    return id;
  }

  /** The region of an address, and its key: the indexes of the CIDRs holding it. */
  private regionOf(address: Address): [string, Region] {
    const inside = this.cidrIds.holding(address).sort((a, b) => a - b);
    const key = inside.join(',');
    let region = this.regions.get(key);
    if (!region) {
      region = this.buildRegion(inside);
      this.regions.set(key, region);
    }
    return [key, region];
  }

  private buildRegion(inside: readonly number[]): Region {
    const cidrs = new Set(inside);
    const rules = new Set<number>();
    const ingressRules: number[] = [];
    const egressRules: number[] = [];
    const region: Region = { cidrs, rules, ingressRules, egressRules, classes: [] };
    for (const c of inside) {
      for (const rid of this.ipBlockRulesByCidr[c]!) {
        const r = this.rules[rid]!;
        if (rules.has(rid) || !r.peers.some((cp) => insideBlock(cp, cidrs))) continue;
        rules.add(rid);
        this.regionsByRule[rid]!.push(region);
        (r.direction === 'ingress' ? ingressRules : egressRules).push(rid);
      }
    }
    return region;
  }

  private classKey(end: FlowEnd, labelKeys: readonly string[], regionKey: string): string {
    if (!('pod' in end)) return `@${regionKey}`;
    const p = end.pod;
    const ports = p.ports.map((cp) => `${cp.name ?? ''}/${cp.protocol}/${cp.containerPort}`).join('\0');
    return `${p.namespace}\u0001${labelKeys.join('\0')}\u0001${ports}\u0001${regionKey}`;
  }

  private buildClass(end: FlowEnd, region: Region, labelKeys: readonly string[], id: number): EndClass {
    region.classes.push(id);
    const ingressRules: number[] = [];
    const egressRules: number[] = [];
    const ingressPolicies: number[] = [];
    const egressPolicies: number[] = [];
    const common = { region, labelKeys, ingressRules, egressRules, ingressPolicies, egressPolicies, destMasks: new Map<number, PointMask>() };
    if (!('pod' in end)) return { ...common, address: end.address, groups: NO_GROUPS };

    const { pod } = end;
    const labels = new Map(pod.labels);
    let index = this.podClassIndex.get(pod.namespace);
    if (!index) {
      index = { all: [], byLabel: new Map() };
      this.podClassIndex.set(pod.namespace, index);
    }
    index.all.push(id);
    for (const k of labelKeys) if (this.peerFirstLabels.has(k)) push(index.byLabel, k, id);
    // In policy order: verdicts list the policies, and name the first rule that allows, in that order.
    const selecting: number[] = [];
    this.policiesByNamespace.get(pod.namespace)?.candidates(labelKeys, (pi) => {
      if (selectorMatches(this.policies[pi]!.podSelector, labels)) selecting.push(pi);
    });
    for (const pi of selecting.sort((a, b) => a - b)) {
      const p = this.policies[pi]!;
      // A rule counts only in the directions its policy's policyTypes name.
      if (p.policyTypes.includes('Ingress')) {
        ingressPolicies.push(pi);
        this.ingressSelected[pi]!.push(id);
        ingressRules.push(...this.policyIngressRules[pi]!);
      }
      if (p.policyTypes.includes('Egress')) {
        egressPolicies.push(pi);
        this.egressSelected[pi]!.push(id);
        egressRules.push(...this.policyEgressRules[pi]!);
      }
    }
    return { ...common, pod, labels, groups: this.namespaceGroups(pod.namespace) };
  }

  /**
   * A selector peer matches a pod in a namespace it selects (its policy's own when it has no
   * namespaceSelector: its group says which) whose labels its podSelector, if any, selects.
   */
  private selectsPod(cp: CompiledPeer, end: EndView): boolean {
    if (cp.group === undefined || !end.groups.ids.has(cp.group)) return false;
    return !cp.podSelector || selectorMatches(cp.podSelector, end.labels!);
  }

  /** Whether a peer of rule `rid` matches the ends of class `c` (every end does when the rule lists none). */
  private isPeer(c: EndClass, rid: number): boolean {
    const r = this.rules[rid]!;
    if (r.peers.length === 0 || c.region.rules.has(rid)) return true;
    for (const cp of r.peers) if (this.selectsPod(cp, c)) return true;
    return false;
  }

  /**
   * The rules of one direction that class `c` is a peer of: those listing no peer, those of its
   * region's ipBlocks, and those a selector peer of which selects it, looked up in its namespace's
   * groups under its labels. A rule may come more than once.
   */
  private rulesWithPeer(c: EndClass, direction: PolicyDirection): number[] {
    const out = [...this.everyPeerRules[direction], ...(direction === 'ingress' ? c.region.ingressRules : c.region.egressRules)];
    for (const group of c.groups.groups) {
      group.peers.candidates(c.labelKeys, ({ rule, podSelector }) => {
        if (this.rules[rule]!.direction === direction && (!podSelector || selectorMatches(podSelector, c.labels!))) out.push(rule);
      });
    }
    return out;
  }

  /**
   * The classes a peer of rule `rid` matches, each at least once: every class when it lists none,
   * else the classes of the regions its ipBlocks match and those its selector peers select.
   */
  private classesMatching(rid: number): (readonly number[])[] {
    if (this.rules[rid]!.peers.length === 0) return [this.classIds];
    return [...this.regionsByRule[rid]!.map((region) => region.classes), this.selectorClasses(rid)];
  }

  /** The classes a selector peer of the rule matches (found once per rule, then kept up with new classes). */
  private selectorClasses(rid: number): readonly number[] {
    const r = this.rules[rid]!;
    const n = this.classes.length;
    let memo = this.selectorClassMemo.get(rid);
    if (!memo) {
      const found = new Set<number>();
      for (const cp of r.peers) {
        if (cp.group === undefined) continue;
        const group = this.peerGroups[cp.group]!;
        const first = cp.podSelector?.matchLabels[0];
        for (const ns of group.namespaces) {
          const index = this.podClassIndex.get(ns);
          if (!index) continue;
          for (const c of (first ? index.byLabel.get(labelKey(first)) : index.all) ?? []) if (this.selectsPod(cp, this.classes[c]!)) found.add(c);
        }
      }
      memo = { upTo: n, classes: [...found] };
      this.selectorClassMemo.set(rid, memo);
    }
    for (; memo.upTo < n; memo.upTo++) {
      const c = this.classes[memo.upTo]!;
      if (r.peers.some((cp) => this.selectsPod(cp, c))) memo.classes.push(memo.upTo);
    }
    return memo.classes;
  }

  /** The written indexes of the rule's peers that match the end (none when the list is empty: see `peers.length`). */
  private matchingPeers(r: CompiledRule, end: EndView): number[] {
    const out: number[] = [];
    for (const cp of r.peers) {
      if (cp.ipBlock ? insideBlock(cp, end.region.cidrs) : this.selectsPod(cp, end)) out.push(cp.index);
    }
    return out;
  }

  /** Written indexes of the port entries that let `point` through to `dest` (all ports when the list is empty). */
  private matchingPorts(ports: readonly PolicyPort[], point: ProbePoint, dest: InventoryPod | undefined): number[] {
    const out: number[] = [];
    for (const pp of ports) {
      if (pp.protocol !== point.protocol) continue;
      if (pp.port === undefined) {
        out.push(pp.index);
        continue;
      }
      if (typeof pp.port === 'number') {
        const end = pp.endPort ?? pp.port;
        if (point.port >= pp.port && point.port <= end) out.push(pp.index);
        continue;
      }
      // A named port is the destination pod's container port of that name and protocol.
      const named = pp.port;
      const proto: Protocol = pp.protocol;
      if (dest?.ports.some((cp) => cp.name === named && cp.protocol === proto && cp.containerPort === point.port)) out.push(pp.index);
    }
    return out;
  }

  private portsAllow(ports: readonly PolicyPort[], point: ProbePoint, dest: InventoryPod | undefined): boolean {
    return ports.length === 0 || this.matchingPorts(ports, point, dest).length > 0;
  }

  private peersAllow(r: CompiledRule, end: EndView): boolean {
    return r.peers.length === 0 || this.matchingPeers(r, end).length > 0;
  }

  private ruleMask(r: CompiledRule, dest: EndClass): PointMask {
    if (r.staticMask) return r.staticMask;
    let m = dest.destMasks.get(r.id);
    if (!m) {
      m = this.space.where((pt) => this.portsAllow(r.ports, pt, dest.pod));
      dest.destMasks.set(r.id, m);
    }
    return m;
  }

  /**
   * The points on which the sender's egress allows the flow (all when it is not egress-isolated).
   * The mask is a buffer of this evaluator, valid until the next call: copy it to keep it.
   */
  egressMask(src: number, dst: number): PointMask {
    const s = this.classes[src]!;
    const d = this.classes[dst]!;
    if (s.egressPolicies.length === 0) return this.full;
    const m = this.scratch.egress;
    m.fill(0);
    for (const id of s.egressRules) {
      if (!this.isPeer(d, id)) continue;
      const rm = this.ruleMask(this.rules[id]!, d);
      for (let w = 0; w < m.length; w++) m[w]! |= rm[w]!;
    }
    return m;
  }

  /** The points on which the receiver's ingress allows the flow (all when it is not ingress-isolated); a buffer, as egressMask. */
  ingressMask(src: number, dst: number): PointMask {
    const s = this.classes[src]!;
    const d = this.classes[dst]!;
    if (d.ingressPolicies.length === 0) return this.full;
    const m = this.scratch.ingress;
    m.fill(0);
    for (const id of d.ingressRules) {
      if (!this.isPeer(s, id)) continue;
      const rm = this.ruleMask(this.rules[id]!, d);
      for (let w = 0; w < m.length; w++) m[w]! |= rm[w]!;
    }
    return m;
  }

  /** The points on which Kubernetes allows the flow from class `src` to class `dst`; a buffer, as egressMask. */
  allowedMask(src: number, dst: number): PointMask {
    const e = this.egressMask(src, dst);
    const i = this.ingressMask(src, dst);
    const m = this.scratch.allowed;
    for (let w = 0; w < m.length; w++) m[w] = e[w]! & i[w]!;
    return m;
  }

  /**
   * The points on which Kubernetes allows flows from class `src` to every class classified so far:
   * class R's mask at `R * space.words`. Walks the rules that involve `src` instead of every pair,
   * so a whole row costs about what its allowed pairs do. A buffer, valid until the next call.
   */
  allowedRow(src: number): Uint32Array {
    const { allowed: row, other: egress } = this.buffers();
    const s = this.classes[src]!;
    // Receivers' ingress: open unless isolated; then what the ingress rules `src` is a peer of allow
    // each receiver their policy isolates (a rule that comes twice is OR-ed twice, to no effect).
    row.set(this.open().receivers);
    for (const rid of this.rulesWithPeer(s, 'ingress')) {
      const rule = this.rules[rid]!;
      for (const r of this.ingressSelected[rule.policy]!) this.orInto(row, r, this.ruleMask(rule, this.classes[r]!));
    }
    // The sender's egress, when it is isolated: each rule towards the classes it matches as a peer.
    if (s.egressPolicies.length > 0) {
      egress.fill(0);
      for (const rid of s.egressRules) {
        const rule = this.rules[rid]!;
        for (const classes of this.classesMatching(rid)) for (const r of classes) this.orInto(egress, r, this.ruleMask(rule, this.classes[r]!));
      }
      for (let i = 0; i < row.length; i++) row[i]! &= egress[i]!;
    }
    return row;
  }

  /**
   * The points on which Kubernetes allows flows from every class classified so far to class `dst`:
   * class S's mask at `S * space.words`, what `allowedMask(S, dst)` gives. As allowedRow, it walks
   * the rules that involve `dst`. A buffer, valid until the next call (of it or allowedRow).
   */
  allowedColumn(dst: number): Uint32Array {
    const { allowed: column, other: ingress } = this.buffers();
    const d = this.classes[dst]!;
    // Senders' egress: open unless isolated; then what the egress rules `dst` is a peer of allow
    // each sender their policy isolates.
    column.set(this.open().senders);
    for (const rid of this.rulesWithPeer(d, 'egress')) {
      const rule = this.rules[rid]!;
      const m = this.ruleMask(rule, d);
      for (const s of this.egressSelected[rule.policy]!) this.orInto(column, s, m);
    }
    // The receiver's ingress, when it is isolated: each rule from the classes it matches as a peer.
    if (d.ingressPolicies.length > 0) {
      ingress.fill(0);
      for (const rid of d.ingressRules) {
        const m = this.ruleMask(this.rules[rid]!, d);
        for (const classes of this.classesMatching(rid)) for (const s of classes) this.orInto(ingress, s, m);
      }
      for (let i = 0; i < column.length; i++) column[i]! &= ingress[i]!;
    }
    return column;
  }

  /** Two line buffers (one mask per class classified so far), made anew when classes were added. */
  private buffers(): { allowed: Uint32Array; other: Uint32Array } {
    const size = this.classes.length * this.space.words;
    if (!this.lineBuffers || this.lineBuffers.allowed.length !== size) {
      this.lineBuffers = { allowed: new Uint32Array(size), other: new Uint32Array(size) };
    }
    return this.lineBuffers;
  }

  /** Per class, the full mask where it is not isolated (`receivers`: for ingress; `senders`: for egress), else nothing. */
  private open(): { receivers: Uint32Array; senders: Uint32Array } {
    const n = this.classes.length;
    if (!this.openLines || this.openLines.n !== n) {
      const line = (isolated: (c: EndClass) => boolean): Uint32Array => {
        const out = new Uint32Array(n * this.space.words);
        for (let r = 0; r < n; r++) if (!isolated(this.classes[r]!)) out.set(this.full, r * this.space.words);
        return out;
      };
      this.openLines = { n, receivers: line((c) => c.ingressPolicies.length > 0), senders: line((c) => c.egressPolicies.length > 0) };
    }
    return this.openLines;
  }

  /** ORs `mask` into class `c`'s place in `line`. */
  private orInto(line: Uint32Array, c: number, mask: PointMask): void {
    const W = this.space.words;
    for (let w = 0; w < W; w++) line[c * W + w]! |= mask[w]!;
  }

  /**
   * What decides at an end of class `cls` in one direction (`egress`: as the sender; `ingress`: as
   * the receiver), as data: the policies selecting it in that direction, each by its namespace and
   * its rules of that direction without source positions. Two evaluators over one inventory and
   * one probe space that give an end equal signatures give it the same verdict at its end on every
   * flow with every other end: the diff evaluates only ends whose signature changed.
   */
  endSignature(cls: number, direction: PolicyDirection): string {
    const c = this.classes[cls]!;
    if (!c.pod) return '@';
    const policies = direction === 'ingress' ? c.ingressPolicies : c.egressPolicies;
    return `${policies.length}\u0000${policies.map((pi) => this.policySignature(pi, direction)).join('\u0000')}`;
  }

  private readonly policySignatures = new Map<string, string>();

  private policySignature(pi: number, direction: PolicyDirection): string {
    const key = `${pi}/${direction}`;
    let sig = this.policySignatures.get(key);
    if (sig === undefined) {
      const p = this.policies[pi]!;
      sig = JSON.stringify([p.namespace, direction === 'ingress' ? p.ingress : p.egress], (k, v: unknown) => (k === 'origin' ? undefined : v));
      this.policySignatures.set(key, sig);
    }
    return sig;
  }

  /** The decision for one flow, with the policies and rules that made it. */
  verdict(src: FlowEnd, dst: FlowEnd, point: ProbePoint): KubernetesVerdict {
    const s = this.classes[this.classify(src)]!;
    const d = this.classes[this.classify(dst)]!;
    const reasons: KubernetesEndReason[] = [];
    if (s.pod) reasons.push(this.endReason('egress', s, d, point, endName(src), endName(dst)));
    if (d.pod) reasons.push(this.endReason('ingress', d, s, point, endName(dst), endName(src)));
    return { allowed: reasons.every((r) => r.allowed), reasons };
  }

  private endReason(end: PolicyDirection, self: EndClass, other: EndClass, point: ProbePoint, pod: string, otherName: string): KubernetesEndReason {
    const policyIds = end === 'ingress' ? self.ingressPolicies : self.egressPolicies;
    const policies = policyIds.map((pi) => policyKey(this.policies[pi]!));
    const Dir = end === 'ingress' ? 'Ingress' : 'Egress';
    if (policyIds.length === 0) {
      return { end, pod, isolated: false, policies, allowed: true, message: `${pod} is not ${end}-isolated (no NetworkPolicy with ${Dir} selects it)` };
    }
    const dest = end === 'ingress' ? self : other;
    for (const id of end === 'ingress' ? self.ingressRules : self.egressRules) {
      const r = this.rules[id]!;
      if (!this.peersAllow(r, other) || !this.portsAllow(r.ports, point, dest.pod)) continue;
      const peer = r.peers.length === 0 ? null : this.matchingPeers(r, other)[0]!;
      const port = r.ports.length === 0 ? null : this.matchingPorts(r.ports, point, dest.pod)[0]!;
      const rule: KubernetesRuleRef = { policy: policyKey(this.policies[r.policy]!), direction: end, rule: r.index, peer, port };
      const peerText = peer === null ? 'every peer' : `peer ${peer}`;
      const portText = port === null ? 'every port' : `port ${port}`;
      return {
        end, pod, isolated: true, policies, allowed: true, rule,
        message: `${pod} is ${end}-isolated by ${policies.join(', ')}; ${rule.policy} ${end} rule ${r.index} (${peerText}, ${portText}) allows ${otherName} on ${formatPoint(point)}`,
      };
    }
    return {
      end, pod, isolated: true, policies, allowed: false,
      message: `${pod} is ${end}-isolated by ${policies.join(', ')}; no ${end} rule of ${policies.length === 1 ? 'it' : 'them'} allows ${otherName} on ${formatPoint(point)}`,
    };
  }

  /** Policies that select the class's pod for a direction (`namespace/name`). */
  isolatingPolicies(cls: number, end: PolicyDirection): string[] {
    const key = `${cls}/${end}`;
    const hit = this.isolatingCache.get(key);
    if (hit) return hit;
    const c = this.classes[cls]!;
    const out = (end === 'ingress' ? c.ingressPolicies : c.egressPolicies).map((pi) => policyKey(this.policies[pi]!));
    this.isolatingCache.set(key, out);
    return out;
  }

  /**
   * Every rule that allows the flow on `point` at one end, with all its matching peers and port
   * entries (null: the list is empty): what `verify` attributes a divergence with.
   */
  allowingRules(src: FlowEnd, dst: FlowEnd, point: ProbePoint, end: PolicyDirection): KubernetesAllowingRule[] {
    const s = this.classes[this.classify(src)]!;
    const d = this.classes[this.classify(dst)]!;
    const self = end === 'ingress' ? d : s;
    const other = end === 'ingress' ? s : d;
    const out: KubernetesAllowingRule[] = [];
    for (const id of end === 'ingress' ? self.ingressRules : self.egressRules) {
      const r = this.rules[id]!;
      if (!this.peersAllow(r, other) || !this.portsAllow(r.ports, point, d.pod)) continue;
      out.push({
        policy: policyKey(this.policies[r.policy]!),
        direction: end,
        rule: r.index,
        peers: r.peers.length === 0 ? null : this.matchingPeers(r, other),
        ports: r.ports.length === 0 ? null : this.matchingPorts(r.ports, point, d.pod),
      });
    }
    return out;
  }
}
