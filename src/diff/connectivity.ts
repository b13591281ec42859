/**
 * The connectivity change of a diff, from the simulator: one inventory (the head's workloads), one
 * probe space for both sides (every port and outside address either side's policies name, plus one
 * address outside every named range), and four evaluators: Contrail on the base and head
 * snapshots, Kubernetes on the base and head policy sets. Flows whose Contrail verdict changes are
 * reported, grouped into edges (pod group -> pod group or address range, with ports), each traced
 * to the firewall rule that decided it and the NetworkPolicy line behind that rule.
 *
 * Like `verify`, it never walks probes one by one: ends that every evaluator treats alike share a
 * class, and a class pair is answered on all points by bit masks; only changed pairs are expanded.
 * And it evaluates only what a change can reach: a class pair is evaluated when the sender's side
 * of it (the Contrail entries and Kubernetes egress policies that can decide at the sender) or the
 * receiver's side changed (ContrailEvaluator.changedEnds, KubernetesEvaluator.endSignature): a
 * changed sender's pairs row by row, as `verify` does, a changed receiver's column by column, and
 * the few pairs a small rule change names (a port between two apps) one by one. Only the pairs
 * found to differ are expanded into the report's edges.
 */
import { cmp } from '../diagnostics.js';
import type { PolicySet } from '../model/policy.js';
import { positionOf } from '../model/source.js';
import { type ChangedEnds, type ClassPairDecisions, type ContrailDecision, ContrailEvaluator, type EndDecisions } from '../simulate/contrail.js';
import { type Address, addressKey, type Cidr, cidrContainsAddress, formatAddress, formatCidr, isStrictSubset, parseAddress, parseCidr } from '../net/ip.js';
import type { FlowEnd, Inventory, InventoryPod } from '../simulate/inventory.js';
import { KubernetesEvaluator } from '../simulate/kubernetes.js';
import { hasPoint, type PointMask, type ProbePoint, ProbeSpace } from '../simulate/probe-space.js';
import { outsideAddresses, probePoints } from '../simulate/verify.js';
import type { Snapshot } from '../snapshot/model.js';
import type { FlowComparer } from './report.js';
import type { ConnectivityDiff, Decision, FlowChange, FlowEndpoint, Risk } from './types.js';

export interface ConnectivityInput {
  readonly basePolicySet: PolicySet;
  readonly headPolicySet: PolicySet;
  /** The head's workloads (buildInventory of the head policy set). */
  readonly inventory: Inventory;
  /**
   * Evaluate every class pair, pair by pair, as the simulator answers one flow: the reference the
   * tests hold the usual evaluation to (only the ends whose rules changed, row by row).
   */
  readonly exhaustive?: boolean;
}

/** What visitPairs needs of an evaluator (Contrail and Kubernetes both answer it). */
interface PairEvaluator {
  allowedMask(src: number, dst: number): PointMask;
  allowedRow(src: number): Uint32Array;
  /** A receiver's flows from every class at once. */
  allowedColumn(dst: number): Uint32Array;
}

/**
 * The same flows answered on the base and on the head, and the flows (by class index in the class
 * list) that the two may answer differently: every flow from `senders`, every flow to `receivers`,
 * and the `pairs`. Comparison k's evaluators' class ids are `EndClass.ids[2k]` and `[2k + 1]`.
 */
interface Comparison {
  readonly base: PairEvaluator;
  readonly head: PairEvaluator;
  readonly changed: { readonly senders: readonly boolean[]; readonly receivers: readonly boolean[]; readonly pairs?: ChangedEnds['pairs'] };
}


/** Addresses tried for "anywhere else" (documentation ranges first): the first outside every named range is used. */
const ELSEWHERE_CANDIDATES = ['203.0.113.10', '198.51.100.10', '192.0.2.10', '8.8.8.8', '1.1.1.1', '2001:db8::10'];
/** Ports listed on one edge before "and N more". */
const MAX_PORTS_SHOWN = 12;

interface End {
  readonly end: FlowEnd;
  /** The node the report draws it as. */
  readonly node: FlowEndpoint;
  readonly nodeKey: string;
}

export class ConnectivityComparer implements FlowComparer {
  private readonly space: ProbeSpace;
  private readonly ends: readonly End[];
  private readonly kBase: KubernetesEvaluator;
  private readonly kHead: KubernetesEvaluator;

  constructor(private readonly input: ConnectivityInput) {
    const { basePolicySet, headPolicySet, inventory } = input;
    this.space = new ProbeSpace([...probePoints(basePolicySet, inventory), ...probePoints(headPolicySet, inventory)]);
    const ranges = namedRanges([basePolicySet, headPolicySet], inventory.podCIDR);
    const outside = new Map<string, Address>();
    for (const a of [...outsideAddresses(basePolicySet, inventory), ...outsideAddresses(headPolicySet, inventory)]) outside.set(addressKey(a), a);
    const elsewhere = ELSEWHERE_CANDIDATES.map(parseAddress).find(
      (a): a is Address => !!a && !ranges.some((c) => cidrContainsAddress(c, a)),
    );
    if (elsewhere) outside.set(addressKey(elsewhere), elsewhere);
    const addresses = [...outside.values()].sort((a, b) => a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    const groups = podGroups(inventory.pods);
    this.ends = [
      ...inventory.pods.map((pod) => {
        const node: FlowEndpoint = { kind: 'pods', namespace: pod.namespace, group: groups.get(pod)! };
        return { end: { pod }, node, nodeKey: `p:${pod.namespace}/${node.group}` };
      }),
      ...addresses.map((address) => {
        const node: FlowEndpoint = { kind: 'addresses', cidr: rangeLabel(address, ranges) };
        return { end: { address }, node, nodeKey: `a:${node.cidr}` };
      }),
    ];
    this.kBase = new KubernetesEvaluator(basePolicySet, inventory, this.space);
    this.kHead = new KubernetesEvaluator(headPolicySet, inventory, this.space);
  }

  /** Probes per side: ordered pairs of distinct ends with a pod at one end, times the points. */
  get probes(): number {
    const pods = this.input.inventory.pods.length;
    const outside = this.ends.length - pods;
    return (pods * (pods - 1) + 2 * pods * outside) * this.space.points.length;
  }

  compare(base: Snapshot, head: Snapshot): ConnectivityDiff {
    const cBase = new ContrailEvaluator(base, this.input.inventory, this.space);
    const cHead = new ContrailEvaluator(head, this.input.inventory, this.space);
    const classes = this.classesOf([cBase, cHead, this.kBase, this.kHead]);

    const edges = new Map<string, EdgeDraft>();
    // What a changed point comes to is decided by the verdicts and the deciding entries at each end
    // on both sides: alike for many points and pairs, so worked out once per such combination.
    const outcomes = new Map<string, Outcome>();
    // Edges are grouped by signature (long: it holds both decisions); by its number here.
    const signatureIds = new Map<string, number>();
    const endKey = (d: EndDecisions | null, p: number) => (d ? `${d.list}:${d.deciders[p]}:${hasPoint(d.allowed, p) ? 1 : 0}` : '-');
    const record = (src: EndClass, dst: EndClass) => {
      const pairs = nodePairs(src, dst);
      if (!pairs.length) return;
      // Ends of one class get one answer: the decisions are taken once for the class pair.
      const onHead = cHead.decide(src.ids[1]!, dst.ids[1]!);
      const onBase = cBase.decide(src.ids[0]!, dst.ids[0]!);
      const cb = passedByBoth(onBase, this.space);
      const ch = passedByBoth(onHead, this.space);
      const kb = this.kBase.allowedMask(src.ids[2]!, dst.ids[2]!).slice();
      const kh = this.kHead.allowedMask(src.ids[3]!, dst.ids[3]!);
      const signatures = new Map<number, { outcome: Outcome; points: number[] }>();
      for (let p = 0; p < this.space.points.length; p++) {
        const was = hasPoint(cb, p);
        const now = hasPoint(ch, p);
        const kBase = hasPoint(kb, p);
        const kHead = hasPoint(kh, p);
        if (was === now && kBase === kHead) continue;
        const change = was === now ? 'not-enforced' : now ? 'opened' : 'closed';
        const key = [change, kBase, kHead, endKey(onHead.sender, p), endKey(onHead.receiver, p), endKey(onBase.sender, p), endKey(onBase.receiver, p)].join('/');
        let outcome = outcomes.get(key);
        if (!outcome) {
          const decidedHead = { sender: cHead.decisionAt(onHead.sender, p), receiver: cHead.decisionAt(onHead.receiver, p) };
          const decidedBase = { sender: cBase.decisionAt(onBase.sender, p), receiver: cBase.decisionAt(onBase.receiver, p) };
          const at = decidingEnd(change, decidedBase, decidedHead);
          const head = decision(decidedHead, at);
          const base = decision(decidedBase, at);
          const sig = [change, JSON.stringify(head), JSON.stringify(base), kBase, kHead].join('\u0000');
          let signature = signatureIds.get(sig);
          if (signature === undefined) signatureIds.set(sig, (signature = signatureIds.size));
          outcome = { signature, change, head, base, kubernetes: { base: kBase, head: kHead } };
          outcomes.set(key, outcome);
        }
        const entry = signatures.get(outcome.signature);
        if (entry) entry.points.push(p);
        else signatures.set(outcome.signature, { outcome, points: [p] });
      }
      for (const [signature, { outcome: s, points }] of signatures) {
        for (const pair of pairs) {
          const edgeKey = `${signature}\u0000${pair.from.nodeKey}\u0000${pair.to.nodeKey}`;
          let edge = edges.get(edgeKey);
          if (!edge) {
            edge = { change: s.change, from: pair.from.node, to: pair.to.node, head: s.head, base: s.base, kubernetes: s.kubernetes, points: new Set() };
            edges.set(edgeKey, edge);
          }
          for (const p of points) edge.points.add(p);
        }
      }
    };
    const contrail = cBase.changedEnds(cHead, classes.map((c) => [c.ids[0]!, c.ids[1]!] as const));
    const kChanged = (c: EndClass, direction: 'ingress' | 'egress') =>
      this.kBase.endSignature(c.ids[2]!, direction) !== this.kHead.endSignature(c.ids[3]!, direction);
    const comparisons: Comparison[] = [
      { base: cBase, head: cHead, changed: contrail },
      { base: this.kBase, head: this.kHead, changed: { senders: classes.map((c) => kChanged(c, 'egress')), receivers: classes.map((c) => kChanged(c, 'ingress')) } },
    ];
    this.visitPairs(comparisons, classes, (src, dst) => {
      record(src, dst);
      return true;
    });

    const byChange = (c: EdgeDraft['change']) =>
      [...edges.values()]
        .filter((e) => e.change === c)
        .map((e) => this.finish(e))
        .sort(compareFlows);
    return {
      evaluated: true,
      probes: this.probes,
      synthesized: this.input.inventory.synthesized,
      opened: byChange('opened'),
      closed: byChange('closed'),
      notEnforced: byChange('not-enforced'),
    };
  }

  sameVerdicts(a: Snapshot, b: Snapshot): boolean {
    const ea = new ContrailEvaluator(a, this.input.inventory, this.space);
    const eb = new ContrailEvaluator(b, this.input.inventory, this.space);
    const classes = this.classesOf([ea, eb]);
    const changed = ea.changedEnds(eb, classes.map((c) => [c.ids[0]!, c.ids[1]!] as const));
    // Any pair visited differs.
    return this.visitPairs([{ base: ea, head: eb, changed }], classes, () => false);
  }

  /**
   * Calls `visit` for each class pair with a pod at one end on which some comparison's base and
   * head masks differ, sender by sender in class order, receivers in class order, until it returns
   * false; returns false then. Each comparison finds where it differs among the flows it may answer
   * differently (the callers tell which), the cheapest way (findDifferences); the input
   * `exhaustive` compares every pair, pair by pair (the reference).
   */
  private visitPairs(comparisons: readonly Comparison[], classes: readonly EndClass[], visit: (src: EndClass, dst: EndClass) => boolean): boolean {
    if (this.input.exhaustive === true) {
      const differs = (src: EndClass, dst: EndClass) =>
        comparisons.some((c, k) => !sameMask(c.base.allowedMask(src.ids[2 * k]!, dst.ids[2 * k]!).slice(), c.head.allowedMask(src.ids[2 * k + 1]!, dst.ids[2 * k + 1]!)));
      for (const src of classes) {
        for (const dst of classes) {
          if ((src.hasPod || dst.hasPod) && differs(src, dst) && !visit(src, dst)) return false;
        }
      }
      return true;
    }
    // Pairs as sender * n + receiver: in ascending order, sender by sender.
    const n = classes.length;
    const found: number[] = [];
    comparisons.forEach((c, k) => this.findDifferences(c, k, classes, found));
    const pairs = Float64Array.from(found).sort();
    for (let i = 0; i < pairs.length; i++) {
      if (i > 0 && pairs[i] === pairs[i - 1]) continue;
      const src = classes[Math.floor(pairs[i]! / n)]!;
      const dst = classes[pairs[i]! % n]!;
      if (!visit(src, dst)) return false;
    }
    return true;
  }

  /**
   * Adds to `found` each class pair (sender index s, receiver index d, as s * n + d; a pod at one
   * end) on which comparison `k` differs. Its changed senders' flows come from one row per
   * evaluator, its changed receivers' from one column (pair by pair for an evaluator without
   * columns), its changed pairs one by one.
   */
  private findDifferences(c: Comparison, k: number, classes: readonly EndClass[], found: number[]): void {
    const W = this.space.words;
    const n = classes.length;
    const { senders, receivers, pairs = [] } = c.changed;
    // The comparison's class ids, and which classes have a pod, by class index.
    const onB = Int32Array.from(classes, (x) => x.ids[2 * k]!);
    const onH = Int32Array.from(classes, (x) => x.ids[2 * k + 1]!);
    const pod = Uint8Array.from(classes, (x) => (x.hasPod ? 1 : 0));
    for (let s = 0; s < n; s++) {
      if (!senders[s]) continue;
      const rowB = c.base.allowedRow(onB[s]!);
      const rowH = c.head.allowedRow(onH[s]!);
      for (let d = 0; d < n; d++) {
        if ((pod[s] || pod[d]) && !sameWords(rowB, onB[d]! * W, rowH, onH[d]! * W, W)) found.push(s * n + d);
      }
    }
    for (let d = 0; d < n; d++) {
      if (!receivers[d]) continue;
      const columnB = c.base.allowedColumn(onB[d]!);
      const columnH = c.head.allowedColumn(onH[d]!);
      for (let s = 0; s < n; s++) {
        // A changed sender's flows were compared in its row.
        if (senders[s] || !(pod[s] || pod[d])) continue;
        if (!sameWords(columnB, onB[s]! * W, columnH, onH[s]! * W, W)) found.push(s * n + d);
      }
    }
    for (const [s, d] of pairs) {
      if (senders[s] || receivers[d] || !(pod[s] || pod[d])) continue;
      if (!sameMask(c.base.allowedMask(onB[s]!, onB[d]!), c.head.allowedMask(onH[s]!, onH[d]!))) found.push(s * n + d);
    }
  }

  /**
   * NetworkPolicies whose own podSelector selects more of the head's pods than on the base: more pods
   * get the policy's allows (and its isolation).
   */
  inventoryRisks(): Risk[] {
    const risks: Risk[] = [];
    const headPolicies = new Map(this.input.headPolicySet.policies.map((p) => [`${p.namespace}/${p.name}`, p]));
    const selected = (k: KubernetesEvaluator) => {
      const out = new Map<string, Set<string>>();
      for (const pod of this.input.inventory.pods) {
        const cls = k.classify({ pod });
        for (const dir of ['ingress', 'egress'] as const) {
          for (const policy of k.isolatingPolicies(cls, dir)) {
            const s = out.get(policy) ?? new Set<string>();
            s.add(`${pod.namespace}/${pod.name}`);
            out.set(policy, s);
          }
        }
      }
      return out;
    };
    const before = selected(this.kBase);
    const after = selected(this.kHead);
    for (const [policy, pods] of [...after].sort((a, b) => cmp(a[0], b[0]))) {
      const old = before.get(policy);
      if (!old) continue; // a new policy: its rules are flagged one by one
      const more = [...pods].filter((p) => !old.has(p)).sort(cmp);
      if (!more.length) continue;
      const np = headPolicies.get(policy);
      const shown = more.slice(0, 5).join(', ') + (more.length > 5 ? `, and ${more.length - 5} more` : '');
      risks.push({
        kind: 'selector-widened',
        message: `NetworkPolicy ${policy} now selects ${more.length} more pod${more.length === 1 ? '' : 's'} (${old.size} before, ${pods.size} now): ${shown}`,
        policy,
        ...(np ? { origin: positionOf(np.podSelector.origin) } : {}),
      });
    }
    return risks;
  }

  private classesOf(evaluators: readonly { classify(end: FlowEnd): number }[]): EndClass[] {
    const classes = new Map<string, EndClass>();
    for (const e of this.ends) {
      const ids = evaluators.map((ev) => ev.classify(e.end));
      const key = ids.join(',');
      let c = classes.get(key);
      if (!c) {
        c = { key, ids, members: [], hasPod: false };
        classes.set(key, c);
      }
      c.members.push(e);
      if ('pod' in e.end) c.hasPod = true;
    }
    return [...classes.values()];
  }

  private finish(e: EdgeDraft): FlowChange {
    const points = [...e.points].sort((a, b) => a - b).map((i) => this.space.points[i]);
    return { from: e.from, to: e.to, ports: portList(points), head: e.head, base: e.base, kubernetes: e.kubernetes };
  }
}

interface EndClass {
  readonly key: string;
  readonly ids: readonly number[];
  readonly members: End[];
  hasPod: boolean;
}

interface NodePair {
  readonly from: End;
  readonly to: End;
}

/**
 * The distinct (from node, to node) pairs between two classes, each with a pair of distinct ends
 * (a flow from a pod to itself is no flow), and never outside address to outside address.
 */
function nodePairs(src: EndClass, dst: EndClass): NodePair[] {
  const out = new Map<string, NodePair>();
  for (const from of src.members) {
    for (const to of dst.members) {
      if (from === to || (!('pod' in from.end) && !('pod' in to.end))) continue;
      const key = `${from.nodeKey}\u0000${to.nodeKey}`;
      if (!out.has(key)) out.set(key, { from, to });
    }
  }
  return [...out.values()];
}

/** A changed point's place in the report: its edge's signature (by number) and what the edge shows. */
interface Outcome extends Omit<EdgeDraft, 'from' | 'to' | 'points'> {
  readonly signature: number;
}

interface EdgeDraft {
  readonly change: 'opened' | 'closed' | 'not-enforced';
  readonly from: FlowEndpoint;
  readonly to: FlowEndpoint;
  readonly head: Decision;
  readonly base: Decision;
  readonly kubernetes: { readonly base: boolean; readonly head: boolean };
  readonly points: Set<number>;
}

type Decided = { sender: ContrailDecision | null; receiver: ContrailDecision | null };

/**
 * The end whose verdict made the change: for an opened flow, the end that denied on the base (the
 * receiver when both did); for a closed one, the end that denies on the head; else the receiver.
 */
function decidingEnd(change: EdgeDraft['change'], base: Decided, head: Decided): 'sender' | 'receiver' {
  const pick = (d: Decided, allowed: boolean): 'sender' | 'receiver' | undefined =>
    d.receiver && d.receiver.allowed === allowed ? 'receiver' : d.sender && d.sender.allowed === allowed ? 'sender' : undefined;
  if (change === 'opened') return pick(base, false) ?? 'receiver';
  if (change === 'closed') return pick(head, false) ?? 'receiver';
  return pick(head, false) ?? (head.receiver ? 'receiver' : 'sender');
}

function decision(d: Decided, at: 'sender' | 'receiver'): Decision {
  const x = d[at] ?? d[at === 'sender' ? 'receiver' : 'sender'];
  const where = d[at] ? at : at === 'sender' ? 'receiver' : 'sender';
  if (!x) return { allowed: true, default: 'no pod end' };
  if (!x.rule) {
    return {
      allowed: x.allowed,
      at: where,
      default: x.allowed ? `no firewall policy applies at the ${where}: allowed` : `no rule matches at the ${where}: denied`,
    };
  }
  const origin = x.rule.source?.origin;
  return {
    allowed: x.allowed,
    rule: x.rule.name,
    ...(x.firewallPolicy ? { firewallPolicy: x.firewallPolicy } : {}),
    ...(x.rule.source?.policy ? { policy: x.rule.source.policy } : {}),
    ...(origin ? { origin: positionOf(origin) } : {}),
    at: where,
  };
}

/** The points on which both ends of a class pair pass, from its decisions (an end that is not a pod passes all). */
function passedByBoth(d: ClassPairDecisions, space: ProbeSpace): PointMask {
  const both = space.full();
  for (const end of [d.sender, d.receiver]) if (end) for (let w = 0; w < both.length; w++) both[w] = both[w]! & end.allowed[w]!;
  return both;
}

function sameMask(a: PointMask, b: PointMask): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `a`'s `n` words from `i` equal `b`'s from `j` (masks in a row buffer). */
function sameWords(a: Uint32Array, i: number, b: Uint32Array, j: number, n: number): boolean {
  for (let w = 0; w < n; w++) if (a[i + w] !== b[j + w]) return false;
  return true;
}

/** Pods with the same namespace and labels behave alike: one node, named by its pods. */
function podGroups(pods: readonly InventoryPod[]): Map<InventoryPod, string> {
  const byLabels = new Map<string, InventoryPod[]>();
  for (const pod of pods) {
    const key = `${pod.namespace}\u0000${pod.labels.map(([k, v]) => `${k}=${v}`).join('\u0001')}`;
    byLabels.set(key, [...(byLabels.get(key) ?? []), pod]);
  }
  const out = new Map<InventoryPod, string>();
  for (const members of byLabels.values()) {
    const names = members.map((p) => p.workload?.name ?? p.name).sort(cmp);
    const name = names.length <= 3 ? names.join(', ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
    for (const p of members) out.set(p, name);
  }
  return out;
}

/** Every range a reader may know an address by: ipBlock cidrs and excepts of both sides, the pod network. */
function namedRanges(sets: readonly PolicySet[], podCIDR: string): Cidr[] {
  const found = new Map<string, Cidr>();
  const add = (text: string) => {
    const c = parseCidr(text);
    if (c) found.set(formatCidr(c), c);
  };
  add(podCIDR);
  for (const s of sets) {
    for (const p of s.policies) {
      for (const r of [...p.ingress, ...p.egress]) {
        for (const peer of r.peers) if (peer.ipBlock) [peer.ipBlock.cidr, ...peer.ipBlock.except].forEach(add);
      }
    }
  }
  return [...found.values()];
}

/**
 * The region an outside address stands for: the most specific named range holding it, minus the
 * named ranges inside that one that do not hold it (`172.17.0.0/16 except 172.17.1.0/24`); an
 * address in no named range stands for everything else (`0.0.0.0/0` or `::/0`).
 */
function rangeLabel(a: Address, ranges: readonly Cidr[]): string {
  const holding = ranges.filter((c) => cidrContainsAddress(c, a)).sort((x, y) => y.len - x.len);
  const outer = holding[0];
  const inside = (c: Cidr) => (outer ? isStrictSubset(c, outer) : c.family === a.family);
  const excluded = ranges
    .filter((c) => inside(c) && !cidrContainsAddress(c, a))
    .map(formatCidr)
    .sort(cmp);
  const base = outer ? formatCidr(outer) : a.family === 4 ? '0.0.0.0/0' : '::/0';
  const label = excluded.length ? `${base} except ${excluded.join(', ')}` : base;
  return outer || excluded.length ? label : `${label} (e.g. ${formatAddress(a)})`;
}

/** `tcp:80`, `tcp:8080-8082` for consecutive probe ports, at most MAX_PORTS_SHOWN then a count. */
function portList(points: readonly ProbePoint[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < points.length; ) {
    let j = i;
    while (j + 1 < points.length && points[j + 1].protocol === points[i].protocol && points[j + 1].port === points[j].port + 1) j++;
    const p = points[i];
    out.push(`${p.protocol.toLowerCase()}:${i === j ? p.port : `${p.port}-${points[j].port}`}`);
    i = j + 1;
  }
  return out.length > MAX_PORTS_SHOWN ? [...out.slice(0, MAX_PORTS_SHOWN), `and ${out.length - MAX_PORTS_SHOWN} more`] : out;
}

const endpointKey = (e: FlowEndpoint): string => (e.kind === 'pods' ? `0${e.namespace}/${e.group}` : `1${e.cidr}`);

function compareFlows(a: FlowChange, b: FlowChange): number {
  return cmp(endpointKey(a.from), endpointKey(b.from)) || cmp(endpointKey(a.to), endpointKey(b.to)) || cmp(a.ports.join(), b.ports.join()) || cmp(a.head.rule ?? '', b.head.rule ?? '');
}
