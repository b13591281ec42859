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
import type { LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicySet, Protocol } from '../model/policy.js';
import { policyKey } from '../model/policy.js';
import { type Address, type Cidr, familyBits, parseCidr } from '../net/ip.js';
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

interface CompiledPeer {
  readonly peer: PolicyPeer;
  /** Indexes in the evaluator's list of CIDRs (an end's class knows which of them hold its address). */
  readonly cidr?: number;
  readonly except: readonly number[];
}

/** What peer matching reads of an end. */
type EndView = Pick<EndClass, 'pod' | 'address' | 'namespace' | 'labels' | 'nsLabels' | 'inside'>;

interface EndClass {
  /** By index in the evaluator's CIDR list: 1 when the end's address lies inside. */
  readonly inside: Uint8Array;
  readonly pod?: InventoryPod;
  readonly address?: Address;
  readonly namespace?: string;
  readonly nsLabels?: ReadonlyMap<string, string>;
  readonly labels?: ReadonlyMap<string, string>;
  /** By rule id: 1 when a peer of that rule matches this end. */
  readonly peerMatch: Uint8Array;
  /** Ids of the rules of the policies that select this pod (empty for an address). */
  readonly ingressRules: readonly number[];
  readonly egressRules: readonly number[];
  readonly ingressPolicies: readonly number[];
  readonly egressPolicies: readonly number[];
  /** Rule masks resolved against this end as the destination (named ports), by rule id. */
  readonly destMasks: Map<number, PointMask>;
  /** Ids of the ingress rules this end matches as a peer. */
  readonly peerOfIngress: readonly number[];
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

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function cidrContains(c: Cidr, a: Address): boolean {
  if (c.family !== a.family) return false;
  const shift = BigInt(familyBits(c.family) - c.len);
  return a.value >> shift === c.network >> shift;
}

export class KubernetesEvaluator {
  private readonly policies: readonly NetworkPolicy[];
  private readonly rules: CompiledRule[] = [];
  private readonly cidrs: Cidr[] = [];
  private readonly classes: EndClass[] = [];
  private readonly classByKey = new Map<string, number>();
  private readonly podClass = new Map<InventoryPod, number>();
  private readonly nsLabels: ReadonlyMap<string, ReadonlyMap<string, string>>;
  private readonly full: PointMask;
  /** Candidate indexes: which rules a pod may match as a peer, found from its labels and namespace. */
  private readonly policyIngressRules: number[][];
  private readonly policyEgressRules: number[][];
  private readonly policiesByNamespace = new Map<string, number[]>();
  private readonly everyPeerRules: number[] = [];
  private readonly ipBlockRules: number[] = [];
  private readonly namespaceSelectorRules: number[] = [];
  private readonly rulesByLabel = new Map<string, number[]>();
  private readonly rulesByNamespace = new Map<string, number[]>();
  private readonly scratch: { egress: PointMask; ingress: PointMask; allowed: PointMask };
  /** By rule id: the classes a peer of the rule matches (inverse of peerMatch). */
  private readonly matchedClasses: number[][];
  /** By policy: the classes it isolates for ingress. */
  private readonly ingressSelected: number[][];
  private rowBuffers: { allowed: Uint32Array; egress: Uint32Array } | undefined;
  /** Each class's mask when nothing is allowed but what non-isolated receivers take (cached per class count). */
  private openRow: Uint32Array | undefined;
  private readonly isolatingCache = new Map<string, string[]>();

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
    this.ingressSelected = this.policies.map(() => []);
    this.policyEgressRules = this.policies.map(() => []);
    this.policies.forEach((p, pi) => push(this.policiesByNamespace, p.namespace, pi));
    this.policies.forEach((p, pi) => {
      for (const direction of ['ingress', 'egress'] as const) {
        for (const r of direction === 'ingress' ? p.ingress : p.egress) {
          const peers = r.peers.map((peer) => {
            const at = (text: string): number[] => {
              const c = parseCidr(text);
              if (!c) return [];
              this.cidrs.push(c);
              return [this.cidrs.length - 1];
            };
            const cidr = peer.ipBlock ? at(peer.ipBlock.cidr)[0] : undefined;
            const except = (peer.ipBlock?.except ?? []).flatMap(at);
            return { peer, ...(cidr !== undefined ? { cidr } : {}), except };
          });
          const named = r.ports.some((pp) => typeof pp.port === 'string');
          this.rules.push({
            id: this.rules.length,
            policy: pi,
            direction,
            index: r.index,
            peers,
            ports: r.ports,
            ...(named ? {} : { staticMask: space.where((pt) => this.portsAllow(r.ports, pt, undefined)) }),
          });
        }
      }
    });
    this.matchedClasses = this.rules.map(() => []);
    for (const r of this.rules) {
      (r.direction === 'ingress' ? this.policyIngressRules : this.policyEgressRules)[r.policy]!.push(r.id);
      const policyNs = this.policies[r.policy]!.namespace;
      if (r.peers.length === 0) this.everyPeerRules.push(r.id);
      for (const { peer } of r.peers) {
        if (peer.ipBlock) this.ipBlockRules.push(r.id);
        else if (peer.podSelector && peer.podSelector.matchLabels.length > 0) {
          const [k, v] = peer.podSelector.matchLabels[0]!;
          push(this.rulesByLabel, `${k}=${v}`, r.id);
        } else if (peer.namespaceSelector) this.namespaceSelectorRules.push(r.id);
        else push(this.rulesByNamespace, policyNs, r.id);
      }
    }
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
    const inside = this.insideOf(end);
    const key = this.classKey(end, inside);
    let id = this.classByKey.get(key);
    if (id === undefined) {
      id = this.classes.length;
      this.classes.push(this.buildClass(end, inside, id));
      this.classByKey.set(key, id);
    }
    return id;
  }

  /** Which of the policies' CIDRs hold the end's address, as '0'/'1' by CIDR index. */
  private insideOf(end: FlowEnd): string {
    const address = 'pod' in end ? end.pod.ip : end.address;
    if (address.family !== 4) return this.cidrs.map((c) => (cidrContains(c, address) ? '1' : '0')).join('');
    // IPv4 in plain numbers: this runs for every pod against every CIDR.
    const ip = Number(address.value);
    let out = '';
    for (const c of this.cidrs) {
      if (c.family !== 4) out += '0';
      else {
        const size = 2 ** (32 - c.len);
        out += Math.floor(ip / size) === Math.floor(Number(c.network) / size) ? '1' : '0';
      }
    }
    return out;
  }

  private classKey(end: FlowEnd, inside: string): string {
    if (!('pod' in end)) return `@${inside}`;
    const p = end.pod;
    const labels = p.labels.map(([k, v]) => `${k}=${v}`).join('\0');
    const ports = p.ports.map((cp) => `${cp.name ?? ''}/${cp.protocol}/${cp.containerPort}`).join('\0');
    return `${p.namespace}\u0001${labels}\u0001${ports}\u0001${inside}`;
  }

  private buildClass(end: FlowEnd, insideText: string, id: number): EndClass {
    const pod = 'pod' in end ? end.pod : undefined;
    const namespace = pod?.namespace;
    const labels = pod ? new Map(pod.labels) : undefined;
    const nsLabels = pod ? (this.nsLabels.get(pod.namespace) ?? new Map<string, string>()) : undefined;
    const inside = Uint8Array.from(insideText, (ch) => (ch === '1' ? 1 : 0));
    const base = { inside, ...(pod ? { pod, namespace, labels, nsLabels } : { address: (end as { address: Address }).address }) };
    const peerMatch = new Uint8Array(this.rules.length);
    const checked = new Uint8Array(this.rules.length);
    const peerOfIngress: number[] = [];
    const check = (ids: readonly number[] | undefined) => {
      for (const rid of ids ?? []) {
        if (checked[rid]) continue;
        checked[rid] = 1;
        if (!this.peersAllow(this.rules[rid]!, base)) continue;
        peerMatch[rid] = 1;
        this.matchedClasses[rid]!.push(id);
        if (this.rules[rid]!.direction === 'ingress') peerOfIngress.push(rid);
      }
    };
    // Only rules the end can match are checked: the rest stay 0.
    check(this.everyPeerRules);
    check(this.ipBlockRules);
    const ingressRules: number[] = [];
    const egressRules: number[] = [];
    const ingressPolicies: number[] = [];
    const egressPolicies: number[] = [];
    if (pod) {
      for (const [k, v] of pod.labels) check(this.rulesByLabel.get(`${k}=${v}`));
      check(this.namespaceSelectorRules);
      check(this.rulesByNamespace.get(pod.namespace));
      for (const pi of this.policiesByNamespace.get(pod.namespace) ?? []) {
        const p = this.policies[pi]!;
        if (!selectorMatches(p.podSelector, labels!)) continue;
        // A rule counts only in the directions its policy's policyTypes name.
        if (p.policyTypes.includes('Ingress')) {
          ingressPolicies.push(pi);
          this.ingressSelected[pi]!.push(id);
          ingressRules.push(...this.policyIngressRules[pi]!);
        }
        if (p.policyTypes.includes('Egress')) {
          egressPolicies.push(pi);
          egressRules.push(...this.policyEgressRules[pi]!);
        }
      }
    }
    return { ...base, peerMatch, ingressRules, egressRules, ingressPolicies, egressPolicies, destMasks: new Map(), peerOfIngress };
  }

  /** The written indexes of the rule's peers that match the end (none when the list is empty: see `peers.length`). */
  private matchingPeers(r: CompiledRule, end: EndView): number[] {
    const policyNs = this.policies[r.policy]!.namespace;
    const out: number[] = [];
    for (const { peer, cidr, except } of r.peers) {
      if (peer.ipBlock) {
        if (cidr !== undefined && end.inside[cidr] === 1 && !except.some((e) => end.inside[e] === 1)) out.push(peer.index);
        continue;
      }
      if (!end.pod) continue;
      if (peer.namespaceSelector ? !selectorMatches(peer.namespaceSelector, end.nsLabels!) : end.namespace !== policyNs) continue;
      if (peer.podSelector && !selectorMatches(peer.podSelector, end.labels!)) continue;
      out.push(peer.index);
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
      if (d.peerMatch[id] === 0) continue;
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
      if (s.peerMatch[id] === 0) continue;
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
    const W = this.space.words;
    const n = this.classes.length;
    if (!this.rowBuffers || this.rowBuffers.allowed.length < n * W) {
      this.rowBuffers = { allowed: new Uint32Array(n * W), egress: new Uint32Array(n * W) };
    }
    const row = this.rowBuffers.allowed;
    const s = this.classes[src]!;
    // Receivers' ingress: open unless isolated; then what the rules that `src` is a peer of allow.
    if (!this.openRow || this.openRow.length !== n * W) {
      this.openRow = new Uint32Array(n * W);
      for (let r = 0; r < n; r++) if (this.classes[r]!.ingressPolicies.length === 0) this.openRow.set(this.full, r * W);
    }
    row.set(this.openRow);
    for (const rid of s.peerOfIngress) {
      const rule = this.rules[rid]!;
      for (const r of this.ingressSelected[rule.policy]!) {
        const m = this.ruleMask(rule, this.classes[r]!);
        for (let w = 0; w < W; w++) row[r * W + w]! |= m[w]!;
      }
    }
    // The sender's egress, when it is isolated.
    if (s.egressPolicies.length > 0) {
      const eg = this.rowBuffers.egress;
      eg.fill(0, 0, n * W);
      for (const rid of s.egressRules) {
        const rule = this.rules[rid]!;
        for (const r of this.matchedClasses[rid]!) {
          const m = this.ruleMask(rule, this.classes[r]!);
          for (let w = 0; w < W; w++) eg[r * W + w]! |= m[w]!;
        }
      }
      for (let i = 0; i < n * W; i++) row[i]! &= eg[i]!;
    }
    return row;
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
