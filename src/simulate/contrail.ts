/**
 * The snapshot evaluated as the vRouter does (snapshot.md, "How Contrail evaluates the snapshot"):
 * a workload's firewall policies are those of every application policy set bound to one of its
 * tags, in sequence order, rules in sequence order; the first matching rule decides; no match
 * denies when the workload has any firewall policy and allows when it has none. A flow between two
 * pods is evaluated at the sender with the sender's list and at the receiver with the receiver's;
 * a flow to or from an outside address at the pod's end only.
 *
 * Reads the snapshot only (never the policy model): nothing here is shared with the Kubernetes
 * evaluator. Workloads are grouped in classes (same tags, same address-group membership); per
 * class the rules it can match are indexed by position, so one end of a class pair is a short
 * merge of a few sorted lists, answered on all probe points at once as a bit mask.
 *
 * Sized for tens of thousands of workloads and rules: nothing here is held or computed per class
 * and rule (or per class and address group); a class holds the entries it matches, found through
 * indexes by tag and by address group, and an address finds its groups by prefix lookups.
 */
import { diffArrays } from 'diff';
import { cmp } from '../diagnostics.js';
import type { ApplicationPolicySet, Endpoint, FirewallRule, Service, Snapshot } from '../snapshot/model.js';
import { POLICY_MANAGEMENT } from '../snapshot/model.js';
import { workloadTags } from '../snapshot/workload-tags.js';
import { type Address, type Cidr, parseAddress, PrefixMap } from '../net/ip.js';
import type { FlowEnd, Inventory, InventoryPod } from './inventory.js';
import { type PointMask, type ProbePoint, type ProbeSpace, hasPoint } from './probe-space.js';

/** The rule that decided at one end: its fq_name joined with `:`, or `implicit` (no rule matched). */
export interface ContrailEndVerdict {
  readonly allowed: boolean;
  readonly rule: string;
}

export interface ContrailVerdict {
  readonly allowed: boolean;
  /** Null when the sender is not a pod (an outside address). */
  readonly sender: ContrailEndVerdict | null;
  readonly receiver: ContrailEndVerdict | null;
}

/** The rule that decided at one end, for analysis: the rule and the firewall policy it was reached through. */
export interface ContrailDecision {
  readonly allowed: boolean;
  /** Absent when no rule matched (implicit). */
  readonly rule?: FirewallRule;
  readonly firewallPolicy?: string;
}

export const IMPLICIT = 'implicit';

const NO_ENTRIES = new Int32Array(0);

/** Beyond this many entries changed between two lists, changedEnds takes every end using them as changed. */
const MAX_ENTRY_EDITS = 5000;

/**
 * A flow evaluated alone costs about this many flows of a row or a column (which share the fixed
 * end's entries and the answers of alike ends): changedEnds gives a changed entry's flows one by
 * one while its larger side has fewer than 1/PAIR_COST of the ends, else by rows or columns.
 */
const PAIR_COST = 4;

/** Source ports a probe is taken to come from (Linux's default ephemeral range). */
const EPHEMERAL = { start: 32768, end: 60999 };

/**
 * `key` and `next`: the tags a list indexes a tag endpoint under, its rarest and (when it has
 * another) its next rarest (any of its tags would do: a workload must carry them all).
 */
type MatchEndpoint = { kind: 'any' } | { kind: 'tags'; tags: readonly string[]; key: string; next?: string } | { kind: 'group'; group: number };

/** The entries whose endpoint (at one end) has a tag as its key: those of that tag alone, and the others by their `next` tag. */
interface TagBucket {
  readonly alone: number[];
  readonly byNext: Map<string, number[]>;
}

/** A rule oriented initiator -> responder (a `<>` rule gives two, at the same position). */
interface Entry {
  readonly position: number;
  readonly rule: FirewallRule;
  readonly firewallPolicy: string;
  readonly pass: boolean;
  readonly service: PointMask;
  readonly init: MatchEndpoint;
  readonly resp: MatchEndpoint;
}

interface RuleList {
  /** Whether any firewall policy applies: decides a flow no rule matches. */
  readonly hasPolicy: boolean;
  readonly entries: readonly Entry[];
  /** Entries with `any` at both ends, ascending. */
  readonly anyAny: Int32Array;
  /**
   * Candidate indexes: the entries whose initiator (responder) endpoint is a tag list, by its index
   * tags, or an address group, by group; a class looks up only its own tags (pairs of them) and
   * groups, and finds few entries it does not match.
   */
  readonly initByTag: Map<string, TagBucket>;
  readonly respByTag: Map<string, TagBucket>;
  readonly initByGroup: Map<number, number[]>;
  readonly respByGroup: Map<number, number[]>;
  /**
   * By entry specific at both ends, with a tag list at that end: the classes that match its
   * initiator (responder), as indexed so far. A row finds through them the receivers a sender's
   * entries name; a column, the senders (evaluateLine; ends named by a group go by group).
   */
  readonly initiators: number[][];
  readonly responders: number[][];
  /** By class id: the class's index in this list, once computed. */
  readonly indexes: (ListIndex | undefined)[];
  /** The entries address groups match, by set of groups (`EndClass.groups` joined). */
  readonly byGroups: Map<string, GroupIndex>;
  /** See ListIndex.asSender. */
  readonly profiles: Map<string, number>;
}

/**
 * Entry indexes, ascending, by how they match an end. An entry specific at both ends is listed by
 * the kind of its other end, so that a flow's such entries are a join of two short tag lists
 * (specificBetween), not a walk of every ipBlock rule of the cluster.
 */
interface Roles {
  /** Initiator `any`, responder matches (used when the end receives). */
  readonly asResponder: Int32Array;
  /** Initiator matches, responder `any` (used when it sends). */
  readonly asInitiator: Int32Array;
  /** Initiator matches, responder a tag list; an address group. */
  readonly toTags: Int32Array;
  readonly toGroups: Int32Array;
  /** Initiator a tag list; an address group; responder matches. */
  readonly fromTags: Int32Array;
  readonly fromGroups: Int32Array;
}

/**
 * The entries a set of address groups matches, shared by every class in exactly those groups:
 * ipBlock rules make groups such as 0.0.0.0/0 or the pod network, which hold every pod, and their
 * entries would otherwise be copied into every class.
 */
interface GroupIndex extends Roles {
  /** Its number in the list. */
  readonly id: number;
  readonly groups: ReadonlySet<number>;
}

/** Where a class appears in one list: the entries its tags match (its own) and those its address groups match. */
interface ListIndex {
  readonly tagged: Roles;
  readonly grouped: GroupIndex;
  /**
   * Numbers (in the list's `profiles`) equal for classes with the same groups and the same entries
   * with `any` at the other end, as the sender (`asSender`, the other end of a column) or as the
   * receiver (`asReceiver`, of a row): such ends get the same answer unless an entry specific at
   * both ends names them.
   */
  readonly asSender: number;
  readonly asReceiver: number;
}

export interface EndDecisions {
  readonly list: number;
  readonly allowed: PointMask;
  /** By point: the deciding entry, -1 when none matched. */
  readonly deciders: Int32Array;
}

/** What changedEnds finds: the flows that a change of rules may decide differently, by end index. */
export interface ChangedEnds {
  /** Every flow from these ends. */
  readonly senders: boolean[];
  /** Every flow to these ends. */
  readonly receivers: boolean[];
  /** And these flows: [sender, receiver], ascending, without repeats. */
  readonly pairs: (readonly [number, number])[];
}

export interface ClassPairDecisions {
  readonly sender: EndDecisions | null;
  readonly receiver: EndDecisions | null;
}

interface EndClass {
  /** Sorted tag names; null for an outside address. */
  readonly tags: ReadonlySet<string> | null;
  /** Of those, the tags a rule or policy set names. */
  readonly named: readonly string[];
  /** The address groups holding the end's address, ascending. */
  readonly groups: readonly number[];
  readonly inGroup: ReadonlySet<number>;
  /** The rule list of the workload (pods only). */
  readonly list: number;
}

const lowerType = (tag: string): string => {
  const eq = tag.indexOf('=');
  return eq < 0 ? tag.toLowerCase() : `${tag.slice(0, eq).toLowerCase()}${tag.slice(eq)}`;
};

/** The address groups holding an address, by prefix lookup (thousands of groups, tens of thousands of addresses). */
class GroupsByPrefix {
  private readonly groups = new PrefixMap<number[]>();

  add(c: Cidr, group: number): void {
    const list = this.groups.get(c);
    if (list) list.push(group);
    else this.groups.set(c, [group]);
  }

  /** Ascending, without repeats. */
  groupsOf(a: Address): number[] {
    return [...new Set(this.groups.holding(a).flat())].sort((x, y) => x - y);
  }
}

const PROTOCOL_NUMBERS: Record<string, string> = { '6': 'tcp', '17': 'udp', '132': 'sctp' };

function serviceMatches(service: Service, point: ProbePoint): boolean {
  const raw = service.protocol.toLowerCase();
  const protocol = PROTOCOL_NUMBERS[raw] ?? raw;
  if (protocol === 'any') return true;
  if (protocol !== point.protocol.toLowerCase()) return false;
  if (point.port < service.dstPorts.start || point.port > service.dstPorts.end) return false;
  const src = service.srcPorts;
  return !src || (src.start <= EPHEMERAL.start && src.end >= EPHEMERAL.end);
}

export const ruleFqName = (name: string): string => `${POLICY_MANAGEMENT}:${name}`;

interface WorkloadTags {
  readonly podTags: ReadonlyMap<InventoryPod, readonly string[]>;
  /** How many workloads carry each tag: a list indexes a tag endpoint under its rarest tag. */
  readonly carrying: ReadonlyMap<string, number>;
}

/** By inventory, then cluster: the diff makes several evaluators over one inventory, and they share these. */
const workloadTagsCache = new WeakMap<Inventory, Map<string, WorkloadTags>>();

/** The tags of the inventory's workloads in a cluster. */
function workloadTagsOf(inventory: Inventory, cluster: string): WorkloadTags {
  let byCluster = workloadTagsCache.get(inventory);
  if (!byCluster) workloadTagsCache.set(inventory, (byCluster = new Map()));
  let found = byCluster.get(cluster);
  if (!found) {
    const nsLabels = new Map(inventory.namespaces.map((ns) => [ns.name, ns.labels]));
    const podTags = new Map(inventory.pods.map((pod) => [pod, workloadTags(cluster, pod.namespace, nsLabels.get(pod.namespace) ?? [], pod.labels)]));
    const carrying = new Map<string, number>();
    for (const tags of podTags.values()) for (const t of tags) carrying.set(t, (carrying.get(t) ?? 0) + 1);
    found = { podTags, carrying };
    byCluster.set(cluster, found);
  }
  return found;
}

export class ContrailEvaluator {
  private readonly lists: RuleList[] = [];
  private readonly listByKey = new Map<string, number>();
  private readonly classes: EndClass[] = [];
  private readonly classByKey = new Map<string, number>();
  private readonly podClass = new Map<InventoryPod, number>();
  /** The classes by tag (the tags rules name) and by address group: changedEnds lists an endpoint's classes from them. */
  private readonly classesByTag = new Map<string, number[]>();
  private readonly classesByGroup = new Map<number, number[]>();
  private readonly groups: { name: string; prefixes: Cidr[] }[];
  private readonly groupByName: Map<string, number>;
  private readonly groupsByPrefix = new GroupsByPrefix();
  private readonly namedTags: ReadonlySet<string>;
  private readonly workloads: WorkloadTags;
  /** The policy sets by name, with their tags as workloads carry them. */
  private readonly policySets: readonly { readonly aps: ApplicationPolicySet; readonly tags: readonly string[] }[];
  /** Address-group memberships by key (`EndClass.groups` joined): one Set per distinct membership. */
  private readonly memberships = new Map<string, ReadonlySet<number>>();
  /** Buffers of one evaluation; `heads`: a position in each list firstMatch merges. */
  private readonly scratch: { allowed: PointMask; undecided: PointMask; both: PointMask; heads: Int32Array };
  private readonly nsLabels: Map<string, readonly (readonly [string, string])[]>;
  private readonly full: PointMask;
  /** The rule lists of the pod classes (cached while no class is added). */
  private podLists: { classes: number; lists: Set<number> } | undefined;
  /** The buffers of allowedRow and allowedColumn. */
  private lines: { out: Uint32Array; byList: Map<number, Uint32Array>; buckets: number[][] } | undefined;
  private readonly texts: string[][] = [];
  /** For entryTexts: each endpoint's and each service mask's text, once. */
  private readonly pieceTexts = new Map<MatchEndpoint | PointMask, string>();

  constructor(
    private readonly snapshot: Snapshot,
    inventory: Inventory,
    private readonly space: ProbeSpace,
  ) {
    this.full = space.full();
    this.nsLabels = new Map(inventory.namespaces.map((ns) => [ns.name, ns.labels]));
    this.groups = snapshot.addressGroups.map((g) => ({
      name: g.name,
      prefixes: g.prefixes.flatMap((p) => {
        const a = parseAddress(p.ip);
        return a ? [{ family: a.family, network: a.value, len: p.len }] : [];
      }),
    }));
    this.groups.forEach((g, i) => g.prefixes.forEach((c) => this.groupsByPrefix.add(c, i)));
    this.groupByName = new Map(this.groups.map((g, i) => [g.name, i]));
    this.namedTags = new Set([
      ...snapshot.policySets.flatMap((aps) => aps.tags.map(lowerType)),
      ...snapshot.rules.flatMap((r) => [r.endpoint1, r.endpoint2].flatMap((ep) => ('tags' in ep ? ep.tags.map(lowerType) : []))),
    ]);
    this.workloads = workloadTagsOf(inventory, snapshot.cluster);
    this.policySets = [...snapshot.policySets].sort((a, b) => cmp(a.name, b.name)).map((aps) => ({ aps, tags: aps.tags.map(lowerType) }));
    this.scratch = { allowed: space.empty(), undecided: space.empty(), both: space.empty(), heads: new Int32Array(8) };
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
    const groups = this.groupsByPrefix.groupsOf('pod' in end ? end.pod.ip : end.address);
    const tags =
      'pod' in end
        ? (this.workloads.podTags.get(end.pod) ?? workloadTags(this.snapshot.cluster, end.pod.namespace, this.nsLabels.get(end.pod.namespace) ?? [], end.pod.labels))
        : null;
    // A tag no rule and no policy set names cannot change a decision: classes ignore it.
    const named = tags?.filter((t) => this.namedTags.has(t));
    const groupKey = groups.join(',');
    const key = `${named ? named.join('\0') : '@'}\u0001${groupKey}`;
    let id = this.classByKey.get(key);
    if (id === undefined) {
      id = this.classes.length;
      const tagSet = tags ? new Set(tags) : null;
      let inGroup = this.memberships.get(groupKey);
      if (!inGroup) this.memberships.set(groupKey, (inGroup = new Set(groups)));
      this.classes.push({ tags: tagSet, named: named ?? [], groups, inGroup, list: tagSet ? this.listFor(tagSet) : -1 });
      this.classByKey.set(key, id);
      for (const t of named ?? []) push(this.classesByTag, t, id);
      for (const g of groups) push(this.classesByGroup, g, id);
    }
    return id;
  }

  /** The ordered rule list of a workload with these tags (shared by every workload bound to the same sets). */
  private listFor(tags: ReadonlySet<string>): number {
    const sets = this.policySets.filter((s) => s.tags.some((t) => tags.has(t))).map((s) => s.aps);
    const key = sets.map((s) => s.name).join('\0');
    let id = this.listByKey.get(key);
    if (id !== undefined) return id;
    const policies = new Map(this.snapshot.policies.map((p) => [p.name, p]));
    const rules = new Map(this.snapshot.rules.map((r) => [r.name, r]));
    const entries: Entry[] = [];
    // Rules share a few services: one mask each.
    const services = new Map<string, PointMask>();
    const serviceMask = (sv: Service): PointMask => {
      const key = `${sv.protocol}/${sv.dstPorts.start}-${sv.dstPorts.end}/${sv.srcPorts ? `${sv.srcPorts.start}-${sv.srcPorts.end}` : ''}`;
      let mask = services.get(key);
      if (!mask) services.set(key, (mask = this.space.where((pt) => serviceMatches(sv, pt))));
      return mask;
    };
    let hasPolicy = false;
    let position = 0;
    for (const aps of sets) {
      for (const ref of [...aps.policies].sort((a, b) => cmp(a.sequence, b.sequence))) {
        const fp = policies.get(ref.name);
        if (!fp) continue;
        hasPolicy = true;
        for (const rref of [...fp.rules].sort((a, b) => cmp(a.sequence, b.sequence))) {
          const rule = rules.get(rref.name);
          if (!rule) continue;
          const pass = rule.action === 'pass';
          const service = serviceMask(rule.service);
          const e1 = this.endpoint(rule.endpoint1);
          const e2 = this.endpoint(rule.endpoint2);
          if (rule.direction !== '<') entries.push({ position, rule, firewallPolicy: fp.name, pass, service, init: e1, resp: e2 });
          if (rule.direction !== '>') entries.push({ position, rule, firewallPolicy: fp.name, pass, service, init: e2, resp: e1 });
          position++;
        }
      }
    }
    const anyAny = entries.flatMap((e, i) => (e.init.kind === 'any' && e.resp.kind === 'any' ? [i] : []));
    const initByTag = new Map<string, TagBucket>();
    const respByTag = new Map<string, TagBucket>();
    const initByGroup = new Map<number, number[]>();
    const respByGroup = new Map<number, number[]>();
    const index = (i: number, ep: MatchEndpoint, byTag: Map<string, TagBucket>, byGroup: Map<number, number[]>) => {
      // An endpoint nothing matches (an empty tag list, an unknown group) is in no index.
      if (ep.kind === 'group' && ep.group >= 0) push(byGroup, ep.group, i);
      else if (ep.kind === 'tags' && ep.tags.length > 0) {
        let bucket = byTag.get(ep.key);
        if (!bucket) byTag.set(ep.key, (bucket = { alone: [], byNext: new Map() }));
        if (ep.next === undefined) bucket.alone.push(i);
        else push(bucket.byNext, ep.next, i);
      }
    };
    entries.forEach((e, i) => {
      index(i, e.init, initByTag, initByGroup);
      index(i, e.resp, respByTag, respByGroup);
    });
    id = this.lists.length;
    this.lists.push({
      hasPolicy, entries, anyAny: Int32Array.from(anyAny), initByTag, respByTag, initByGroup, respByGroup,
      initiators: entries.map(() => []), responders: entries.map(() => []), indexes: [], byGroups: new Map(), profiles: new Map(),
    });
    this.listByKey.set(key, id);
    return id;
  }

  /** Rules share endpoints: one each. */
  private readonly endpoints = new Map<string, MatchEndpoint>();

  private endpoint(ep: Endpoint): MatchEndpoint {
    const text = 'any' in ep ? '*' : 'tags' in ep ? `t:${ep.tags.join('\0')}` : `g:${ep.addressGroup}`;
    let found = this.endpoints.get(text);
    if (!found) this.endpoints.set(text, (found = this.endpointUncached(ep)));
    return found;
  }

  private endpointUncached(ep: Endpoint): MatchEndpoint {
    if ('any' in ep) return { kind: 'any' };
    if ('tags' in ep) {
      const tags = ep.tags.map(lowerType);
      const carrying = (t: string) => this.workloads.carrying.get(t) ?? 0;
      const [key = '', next] = [...new Set(tags)].sort((a, b) => carrying(a) - carrying(b) || cmp(a, b));
      return { kind: 'tags', tags, key, ...(next !== undefined ? { next } : {}) };
    }
    const name = ep.addressGroup.startsWith(`${POLICY_MANAGEMENT}:`) ? ep.addressGroup.slice(POLICY_MANAGEMENT.length + 1) : ep.addressGroup;
    return { kind: 'group', group: this.groupByName.get(name) ?? -1 };
  }

  private matches(ep: MatchEndpoint, c: EndClass): boolean {
    switch (ep.kind) {
      case 'any':
        return true;
      case 'tags':
        // An empty tag list would match every workload; Contrail treats it as no endpoint at all.
        return c.tags !== null && ep.tags.length > 0 && ep.tags.every((t) => c.tags!.has(t));
      case 'group':
        return ep.group >= 0 && c.inGroup.has(ep.group);
    }
  }

  /** The classes classified so far that match a specific endpoint, ascending. */
  private classesMatching(ep: Exclude<MatchEndpoint, { kind: 'any' }>): readonly number[] {
    if (ep.kind === 'group') return ep.group >= 0 ? (this.classesByGroup.get(ep.group) ?? []) : [];
    if (ep.tags.length === 0) return [];
    // Those carrying its least common tag, then of them those carrying every tag.
    let fewest: readonly number[] | undefined;
    for (const t of ep.tags) {
      const carriers = this.classesByTag.get(t) ?? [];
      if (!fewest || carriers.length < fewest.length) fewest = carriers;
    }
    return fewest!.filter((c) => this.matches(ep, this.classes[c]!));
  }

  private indexOf(cls: number, list: number): ListIndex {
    const l = this.lists[list]!;
    let ix = l.indexes[cls];
    if (ix) return ix;
    const c = this.classes[cls]!;
    // Only the entries indexed under the class's tags can match it by tags.
    const init: number[] = [];
    const resp: number[] = [];
    const collect = (bucket: TagBucket | undefined, end: 'init' | 'resp', out: number[]) => {
      if (!bucket) return;
      for (const i of bucket.alone) out.push(i);
      if (bucket.byNext.size === 0) return;
      for (const t of c.named) {
        for (const i of bucket.byNext.get(t) ?? []) {
          const ep = l.entries[i]![end];
          // Two tags: the class carries both; more: check the rest.
          if ((ep.kind === 'tags' && ep.tags.length === 2) || this.matches(ep, c)) out.push(i);
        }
      }
    };
    for (const t of c.named) {
      collect(l.initByTag.get(t), 'init', init);
      collect(l.respByTag.get(t), 'resp', resp);
    }
    const tagged = this.roles(l, init, resp);
    const grouped = this.groupIndex(l, c);
    const profile = (key: string) => {
      let id = l.profiles.get(key);
      if (id === undefined) l.profiles.set(key, (id = l.profiles.size));
      return id;
    };
    ix = {
      tagged,
      grouped,
      asSender: profile(`s${tagged.asInitiator.join(',')}/${grouped.id}`),
      asReceiver: profile(`r${tagged.asResponder.join(',')}/${grouped.id}`),
    };
    l.indexes[cls] = ix;
    for (const ids of [tagged.toTags, tagged.toGroups]) for (const i of ids) l.initiators[i]!.push(cls);
    for (const ids of [tagged.fromTags, tagged.fromGroups]) for (const i of ids) l.responders[i]!.push(cls);
    return ix;
  }

  private groupIndex(l: RuleList, c: EndClass): GroupIndex {
    const key = c.groups.join(',');
    let gx = l.byGroups.get(key);
    if (!gx) {
      const init: number[] = [];
      const resp: number[] = [];
      for (const g of c.groups) {
        for (const i of l.initByGroup.get(g) ?? []) init.push(i);
        for (const i of l.respByGroup.get(g) ?? []) resp.push(i);
      }
      gx = { ...this.roles(l, init, resp), id: l.byGroups.size, groups: c.inGroup };
      l.byGroups.set(key, gx);
    }
    return gx;
  }

  /** The entries an end matches as initiator and as responder, by role; each entry is under one key per end, so listed once. */
  private roles(l: RuleList, init: number[], resp: number[]): Roles {
    init.sort((a, b) => a - b);
    resp.sort((a, b) => a - b);
    // By the kind of the other end: any, tags, group.
    const by = (ids: readonly number[], other: 'init' | 'resp'): [Int32Array, Int32Array, Int32Array] => {
      const out: [number[], number[], number[]] = [[], [], []];
      for (const i of ids) {
        const kind = l.entries[i]![other].kind;
        out[kind === 'any' ? 0 : kind === 'tags' ? 1 : 2].push(i);
      }
      return [Int32Array.from(out[0]), Int32Array.from(out[1]), Int32Array.from(out[2])];
    };
    const [asInitiator, toTags, toGroups] = by(init, 'resp');
    const [asResponder, fromTags, fromGroups] = by(resp, 'init');
    return { asResponder, asInitiator, toTags, toGroups, fromTags, fromGroups };
  }

  /**
   * First match over `list` for flows from class `src` to class `dst`, on every probe point. The
   * mask is a buffer of this evaluator, valid until the next evaluation: copy it to keep it.
   * `deciders`, when given, receives the deciding entry index per point (-1: implicit).
   */
  private evaluateList(list: number, src: number, dst: number, deciders?: Int32Array): PointMask {
    const l = this.lists[list]!;
    const allowed = this.scratch.allowed;
    if (!l.hasPolicy) {
      allowed.set(this.full);
      deciders?.fill(-1);
      return allowed;
    }
    const s = this.indexOf(src, list);
    const r = this.indexOf(dst, list);
    const lists = [l.anyAny, r.tagged.asResponder, r.grouped.asResponder, s.tagged.asInitiator, s.grouped.asInitiator, this.specificBetween(l, src, s, dst, r)];
    this.firstMatch(l, lists, allowed, 0, deciders);
    return allowed;
  }

  /**
   * The entries specific at both ends that match `src` as initiator and `dst` as responder,
   * ascending. Found from the short lists each class's tags give: an entry is named by the
   * initiator's tags, or else (its initiator is a group) by the responder's tags, or else joins two
   * groups; the long lists the groups give (every ipBlock rule of the cluster) are not walked.
   */
  private specificBetween(l: RuleList, src: number, s: ListIndex, dst: number, r: ListIndex): Int32Array {
    const from = this.classes[src]!;
    const to = this.classes[dst]!;
    const out: number[] = [];
    // Tags at both ends: in the sender's list and in the receiver's.
    intersectSorted(s.tagged.toTags, r.tagged.fromTags, out);
    // An address group at one end: the other end's tags name the entry.
    for (const e of s.tagged.toGroups) if (to.inGroup.has(groupOf(l.entries[e]!.resp))) out.push(e);
    for (const e of r.tagged.fromGroups) if (from.inGroup.has(groupOf(l.entries[e]!.init))) out.push(e);
    // Groups at both ends.
    for (const e of s.grouped.toGroups) if (to.inGroup.has(groupOf(l.entries[e]!.resp))) out.push(e);
    return out.length ? Int32Array.from(out).sort() : NO_ENTRIES;
  }

  /** Points on which Contrail lets the flow from class `src` to class `dst` through (both ends pass); a buffer, as evaluateList. */
  allowedMask(src: number, dst: number): PointMask {
    const s = this.classes[src]!;
    const d = this.classes[dst]!;
    if (!s.tags) return d.tags ? this.evaluateList(d.list, src, dst) : this.full;
    const sender = this.evaluateList(s.list, src, dst);
    // One list at both ends gives one answer: do not evaluate it twice.
    if (!d.tags || s.list === d.list) return sender;
    const both = this.scratch.both;
    both.set(sender);
    const receiver = this.evaluateList(d.list, src, dst);
    for (let w = 0; w < both.length; w++) both[w] = both[w]! & receiver[w]!;
    return both;
  }

  /**
   * The points on which Contrail lets flows from class `src` through to every class classified so
   * far (class R's mask at `R * space.words`). A buffer, valid until the next allowedRow or
   * allowedColumn.
   */
  allowedRow(src: number): Uint32Array {
    return this.allowedLine(src, 'sender');
  }

  /** The points on which Contrail lets flows from every class classified so far through to `dst` (class S's mask at `S * space.words`); a buffer, as allowedRow. */
  allowedColumn(dst: number): Uint32Array {
    return this.allowedLine(dst, 'receiver');
  }

  /**
   * A row (`fixed` is the sender) or a column (`fixed` is the receiver), by the other end's class.
   * Each pod list is evaluated once over the line (evaluateLine), and each flow then takes the
   * sender's list's answer and the receiver's.
   */
  private allowedLine(fixed: number, role: 'sender' | 'receiver'): Uint32Array {
    const W = this.space.words;
    const n = this.classes.length;
    if (!this.lines || this.lines.out.length < n * W) this.lines = { out: new Uint32Array(n * W), byList: new Map(), buckets: [] };
    const lines = this.lines;
    if (!this.podLists || this.podLists.classes !== n) {
      this.podLists = { classes: n, lists: new Set(this.classes.flatMap((c) => (c.tags ? [c.list] : []))) };
    }
    for (const list of this.podLists.lists) {
      let buf = lines.byList.get(list);
      if (!buf || buf.length < n * W) {
        buf = new Uint32Array(n * W);
        lines.byList.set(list, buf);
      }
      this.evaluateLine(list, fixed, role, buf);
    }
    const out = lines.out;
    const full = this.full;
    const f = this.classes[fixed]!;
    const atFixed = f.tags ? lines.byList.get(f.list)! : undefined;
    // The usual case: one list for every pod; then both ends gave one answer.
    if (this.podLists.lists.size === 1 && (!f.tags || this.podLists.lists.has(f.list))) {
      out.set(lines.byList.get([...this.podLists.lists][0]!)!.subarray(0, n * W));
      // No list decides between two outside addresses.
      if (!atFixed) for (let x = 0; x < n; x++) if (!this.classes[x]!.tags) out.set(full, x * W);
      return out;
    }
    for (let x = 0; x < n; x++) {
      const c = this.classes[x]!;
      const atOther = c.tags ? lines.byList.get(c.list)! : undefined;
      for (let w = 0; w < W; w++) {
        const i = x * W + w;
        out[i] = (atFixed ? atFixed[i]! : full[w]!) & (atOther ? atOther[i]! : full[w]!);
      }
    }
    return out;
  }

  /**
   * First match over `list` for the flows between `fixed` (in `role`) and every class, into `out`.
   * The entries that match the fixed end whatever the other end are merged once, with those the
   * other end's address groups add once per set of groups; each other end then adds its own
   * entries (by its tags) and the specific entries that name both ends by tags.
   */
  private evaluateLine(list: number, fixed: number, role: 'sender' | 'receiver', out: Uint32Array): void {
    const W = this.space.words;
    const n = this.classes.length;
    const l = this.lists[list]!;
    if (!l.hasPolicy) {
      for (let x = 0; x < n; x++) out.set(this.full, x * W);
      return;
    }
    for (let x = 0; x < n; x++) this.indexOf(x, list);
    const f = this.indexOf(fixed, list);
    const sends = role === 'sender';
    const fixedSide = sends
      ? mergeSorted(l.anyAny, f.tagged.asInitiator, f.grouped.asInitiator)
      : mergeSorted(l.anyAny, f.tagged.asResponder, f.grouped.asResponder);
    // Entries specific at both ends that match the fixed end: by the other ends they name (tags),
    // or kept with the group they name (an address group).
    const buckets = this.lines!.buckets;
    const touched: number[] = [];
    const byGroup: [number, number][] = [];
    const otherEnd = sends ? 'resp' : 'init';
    const specific = sends
      ? mergeSorted(f.tagged.toTags, f.tagged.toGroups, f.grouped.toTags, f.grouped.toGroups)
      : mergeSorted(f.tagged.fromTags, f.tagged.fromGroups, f.grouped.fromTags, f.grouped.fromGroups);
    for (const e of specific) {
      const ep = l.entries[e]![otherEnd];
      if (ep.kind === 'group') {
        byGroup.push([e, ep.group]);
        continue;
      }
      for (const x of (sends ? l.responders : l.initiators)[e]!) {
        let b = buckets[x];
        if (!b) b = buckets[x] = [];
        if (b.length === 0) touched.push(x);
        b.push(e);
      }
    }
    // By group index: the fixed end's side, the entries naming those groups and their own.
    const bases: (Int32Array | undefined)[] = [];
    const baseOf = (g: GroupIndex): Int32Array => {
      let base = bases[g.id];
      if (!base) {
        const named = Int32Array.from(byGroup.flatMap(([e, group]) => (g.groups.has(group) ? [e] : [])));
        base = bases[g.id] = mergeSorted(fixedSide, named, sends ? g.asResponder : g.asInitiator);
      }
      return base;
    };
    // Ends that no specific entry names by tags and alike as the other end get one answer.
    const done = new Int32Array(l.profiles.size).fill(-1);
    const lists: Int32Array[] = [NO_ENTRIES, NO_ENTRIES, NO_ENTRIES];
    for (let x = 0; x < n; x++) {
      const ix = l.indexes[x]!;
      const b = buckets[x];
      if (!b || b.length === 0) {
        const profile = sends ? ix.asReceiver : ix.asSender;
        const same = done[profile]!;
        if (same >= 0) {
          out.copyWithin(x * W, same * W, same * W + W);
          continue;
        }
        done[profile] = x;
      }
      lists[0] = baseOf(ix.grouped);
      lists[1] = b && b.length ? Int32Array.from(b) : NO_ENTRIES;
      lists[2] = sends ? ix.tagged.asResponder : ix.tagged.asInitiator;
      this.firstMatch(l, lists, out, x * W);
    }
    for (const x of touched) buckets[x]!.length = 0;
  }

  /**
   * The first match, point by point, over the union of ascending entry lists (an entry in several
   * counts once): the points the deciding entries pass, into out[base, base + W); into `deciders`
   * (by point), the deciding entry, -1 where none matched.
   */
  private firstMatch(l: RuleList, lists: readonly Int32Array[], out: Uint32Array, base: number, deciders?: Int32Array): void {
    const W = this.space.words;
    const undecided = this.scratch.undecided;
    undecided.set(this.full);
    let remaining = this.space.points.length;
    const heads = this.scratch.heads;
    heads.fill(0, 0, lists.length);
    out.fill(0, base, base + W);
    const END = 0x7fffffff;
    while (remaining > 0) {
      let next = END;
      for (let k = 0; k < lists.length; k++) {
        const list = lists[k]!;
        if (heads[k]! < list.length && list[heads[k]!]! < next) next = list[heads[k]!]!;
      }
      if (next === END) break;
      for (let k = 0; k < lists.length; k++) if (lists[k]![heads[k]!] === next) heads[k]!++;
      const e = l.entries[next]!;
      for (let w = 0; w < W; w++) {
        const m = e.service[w]! & undecided[w]!;
        if (m === 0) continue;
        undecided[w] = undecided[w]! & ~m;
        if (e.pass) out[base + w] = out[base + w]! | m;
        if (deciders) for (let bit = 0; bit < 32; bit++) if (m & (1 << bit)) deciders[w * 32 + bit] = next;
        remaining -= popcount(m);
      }
    }
    if (deciders && remaining > 0) {
      for (let i = 0; i < this.space.points.length; i++) if (hasPoint(undecided, i)) deciders[i] = -1;
    }
  }

  /**
   * The flows to evaluate again when this evaluator is compared with `other` (over the same
   * inventory and probe space): `ends[i]` is end i's class here and in `other`; every pair of ends
   * whose verdict may differ has its sender in `senders`, its receiver in `receivers` or is one of
   * the `pairs`.
   *
   * Why that holds: at each end, a flow is decided by the first entry of that end's list that
   * matches both ends. The entries two lists share, in order (their longest common subsequence,
   * by content: action, service on the probe points, endpoints with address groups by their
   * prefixes), give both sides the same such sequence, so only a changed entry matching both ends
   * can change a verdict. Its flows are given one by one when it names few ends at both sides (a
   * changed port between two apps), else by its initiators or by its responders, whichever are
   * fewer (a changed `any -> web` rule marks the few web ends, not every sender).
   */
  changedEnds(other: ContrailEvaluator, ends: readonly (readonly [number, number])[]): ChangedEnds {
    const senders = ends.map(() => false);
    const receivers = ends.map(() => false);
    const pairs = new Set<number>();
    const byLists = new Map<string, number[]>();
    ends.forEach(([a, b], i) => {
      const ca = this.classes[a]!;
      const cb = other.classes[b]!;
      if (!ca.tags || !cb.tags) return;
      push(byLists, `${ca.list}/${cb.list}`, i);
    });
    // The ends an endpoint matches, from the classes it matches on that side.
    const endsOf = [new Map<number, number[]>(), new Map<number, number[]>()] as const;
    ends.forEach(([a, b], i) => {
      push(endsOf[0], a, i);
      push(endsOf[1], b, i);
    });
    const all = ends.map((_, i) => i);
    const matching = (ev: ContrailEvaluator, side: 0 | 1, ep: MatchEndpoint): readonly number[] =>
      ep.kind === 'any' ? all : ev.classesMatching(ep).flatMap((c) => endsOf[side].get(c) ?? []);
    const cover = (rows: readonly number[], columns: readonly number[]) => {
      if (!rows.length || !columns.length) return;
      if (Math.max(rows.length, columns.length) * PAIR_COST < ends.length) {
        for (const i of rows) for (const j of columns) pairs.add(i * ends.length + j);
      } else if (rows.length <= columns.length) for (const i of rows) senders[i] = true;
      else for (const i of columns) receivers[i] = true;
    };
    for (const members of byLists.values()) {
      const la = this.lists[this.classes[ends[members[0]!]![0]]!.list]!;
      const lb = other.lists[other.classes[ends[members[0]!]![1]]!.list]!;
      if (!la.hasPolicy && !lb.hasPolicy) continue;
      const ta = this.entryTexts(this.classes[ends[members[0]!]![0]]!.list);
      const tb = other.entryTexts(other.classes[ends[members[0]!]![1]]!.list);
      const changes = la.hasPolicy === lb.hasPolicy ? diffArrays(ta, tb, { maxEditLength: MAX_ENTRY_EDITS }) : undefined;
      if (!changes) {
        // The lists have (almost) nothing in common: every end using them, at both roles.
        for (const i of members) senders[i] = receivers[i] = true;
        continue;
      }
      const inList = new Set(members);
      // `members` is every end of `all` that uses these lists, in order.
      const ofList = (xs: readonly number[]) => (xs === all ? members : xs.filter((i) => inList.has(i)));
      let ia = 0;
      let ib = 0;
      for (const ch of changes) {
        const n = ch.count ?? ch.value.length;
        if (!ch.added && !ch.removed) {
          ia += n;
          ib += n;
          continue;
        }
        const [ev, side, list, from] = ch.removed ? ([this, 0, la, ia] as const) : ([other, 1, lb, ib] as const);
        for (let k = from; k < from + n; k++) {
          const e = list.entries[k]!;
          const inits = matching(ev, side, e.init);
          const resps = matching(ev, side, e.resp);
          cover(ofList(inits), resps); // decided at the sender
          cover(inits, ofList(resps)); // decided at the receiver
        }
        if (ch.removed) ia += n;
        else ib += n;
      }
    }
    const flows = [...pairs].sort((a, b) => a - b).map((k) => [Math.floor(k / ends.length), k % ends.length] as const);
    return { senders, receivers, pairs: flows };
  }

  /** Each entry of a list as data, for changedEnds. */
  private entryTexts(list: number): string[] {
    let texts = this.texts[list];
    if (!texts) {
      const once = <T extends MatchEndpoint | PointMask>(piece: T, text: (piece: T) => string): string => {
        let found = this.pieceTexts.get(piece);
        if (found === undefined) this.pieceTexts.set(piece, (found = text(piece)));
        return found;
      };
      const ep = (m: MatchEndpoint): string =>
        once(m, () =>
          m.kind === 'any'
            ? '*'
            : m.kind === 'tags'
              ? `t:${m.tags.join('\u0002')}`
              : `g:${m.group < 0 ? '-' : this.groups[m.group]!.prefixes.map((p) => `${p.family}/${p.network}/${p.len}`).join(',')}`,
        );
      texts = this.lists[list]!.entries.map(
        (e) => `${e.pass ? 'pass' : 'deny'}\u0001${once(e.service, (m) => Array.from(m).join(','))}\u0001${ep(e.init)}\u0001${ep(e.resp)}`,
      );
      this.texts[list] = texts;
    }
    return texts;
  }

  /** Both ends' decisions for a class pair on every point (an end is null when it is not a pod). */
  decide(src: number, dst: number): ClassPairDecisions {
    const at = (cls: number): EndDecisions | null => {
      const c = this.classes[cls]!;
      if (!c.tags) return null;
      const deciders = new Int32Array(this.space.points.length);
      return { list: c.list, allowed: this.evaluateList(c.list, src, dst, deciders).slice(), deciders };
    };
    const sender = at(src);
    // One list at both ends decides alike at both.
    const receiver = sender && this.classes[dst]!.tags && this.classes[dst]!.list === sender.list ? sender : at(dst);
    return { sender, receiver };
  }

  /** The decision at one end on one point, from `decide`. */
  decisionAt(end: EndDecisions | null, point: number): ContrailDecision | null {
    if (!end) return null;
    const i = end.deciders[point]!;
    const e = i >= 0 ? this.lists[end.list]!.entries[i] : undefined;
    return { allowed: hasPoint(end.allowed, point), ...(e ? { rule: e.rule, firewallPolicy: e.firewallPolicy } : {}) };
  }

  /** The rule that decided at each end for one flow on one probe point (an index in this evaluator's space). */
  decisions(src: FlowEnd, dst: FlowEnd, point: number): { sender: ContrailDecision | null; receiver: ContrailDecision | null } {
    const d = this.decide(this.classify(src), this.classify(dst));
    return { sender: this.decisionAt(d.sender, point), receiver: this.decisionAt(d.receiver, point) };
  }

  /** The decision for one flow, naming the deciding rule at each end. */
  verdict(src: FlowEnd, dst: FlowEnd, point: number): ContrailVerdict {
    const { sender, receiver } = this.decisions(src, dst, point);
    const show = (x: ContrailDecision | null): ContrailEndVerdict | null =>
      x && { allowed: x.allowed, rule: x.rule ? ruleFqName(x.rule.name) : IMPLICIT };
    return {
      allowed: (sender?.allowed ?? true) && (receiver?.allowed ?? true),
      sender: show(sender),
      receiver: show(receiver),
    };
  }
}

/** The ascending union of ascending lists (an entry in several once); one of them itself when the others are empty. */
function mergeSorted(...lists: Int32Array[]): Int32Array {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? NO_ENTRIES;
  const all = new Int32Array(nonEmpty.reduce((n, l) => n + l.length, 0));
  let k = 0;
  for (const l of nonEmpty) {
    all.set(l, k);
    k += l.length;
  }
  all.sort();
  let out = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[out - 1]) all[out++] = all[i]!;
  return all.subarray(0, out);
}

/** The entries in both ascending lists, appended to `out` ascending: each of the shorter looked up in the longer. */
function intersectSorted(a: Int32Array, b: Int32Array, out: number[]): void {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let lo = 0;
  for (const x of short) {
    let hi = long.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (long[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    if (lo < long.length && long[lo] === x) out.push(x);
  }
}

function groupOf(ep: MatchEndpoint): number {
  return ep.kind === 'group' ? ep.group : -1;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
