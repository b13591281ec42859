/**
 * The simulator's library API: the probe set of an inventory, both evaluators over a set of
 * probes, `explain` (one flow, with the policies and rules that decided) and `verify` (every probe,
 * the ones where Contrail differs from Kubernetes grouped by cause).
 *
 * `verify` never walks probes one by one: pods that both evaluators treat alike form one class, a
 * class pair is answered on all probe points by two bit masks, and counts are multiplied out.
 */
import { cmp, UserError } from '../diagnostics.js';
import type { PolicySet, Protocol } from '../model/policy.js';
import type { Mode, Snapshot } from '../snapshot/model.js';
import { type Attribution, CauseAnalyzer, DIVERGENCE_KINDS, type DivergenceKind } from './causes.js';
import { type ContrailVerdict, ContrailEvaluator } from './contrail.js';
import { type Address, addressKey, cidrSize, firstAddress, lastAddress, parseCidr } from '../net/ip.js';
import { endName, type FlowEnd, type Inventory, type InventoryPod, resolveEnd } from './inventory.js';
import { type KubernetesVerdict, KubernetesEvaluator } from './kubernetes.js';
import { hasPoint, pointsOf, type ProbePoint, ProbeSpace } from './probe-space.js';

/** A probe as a person writes it: ends by `namespace/pod`, workload name or IP address. */
export interface ProbeInput {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  /** Default TCP. */
  readonly protocol?: Protocol;
}

/** One flow with both evaluators' decisions: the element of `explain --format json`. */
export interface ProbeOutcome {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly kubernetes: KubernetesVerdict;
  readonly contrail: ContrailVerdict;
}

/** A flow between two resolved ends. */
export interface Probe {
  readonly from: FlowEnd;
  readonly to: FlowEnd;
  readonly point: ProbePoint;
}

/**
 * The probes `verify` runs: every ordered pair of distinct pods, and every pod with every outside
 * address (both ways), each on every point of `space`.
 */
export interface ProbeSet {
  readonly space: ProbeSpace;
  readonly pods: readonly InventoryPod[];
  /** First, last and an inner address of every ipBlock cidr and except range, minus pods' addresses; sorted. */
  readonly outside: readonly Address[];
  readonly count: number;
}

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/**
 * The probe points: every port a policy names (`port`, and `endPort` of a range) or a pod declares
 * (named ports are declared ones), for each protocol the policies use (TCP when they name none).
 */
export function probePoints(policySet: PolicySet, inventory: Inventory): ProbePoint[] {
  const ports = new Set<number>();
  const protocols = new Set<Protocol>();
  for (const p of policySet.policies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const pp of r.ports) {
        protocols.add(pp.protocol);
        if (typeof pp.port === 'number') ports.add(pp.port);
        if (pp.endPort !== undefined) ports.add(pp.endPort);
      }
    }
  }
  for (const pod of inventory.pods) for (const cp of pod.ports) ports.add(cp.containerPort);
  if (protocols.size === 0) protocols.add('TCP');
  // With no port anywhere, one stands for "any port".
  if (ports.size === 0) ports.add(80);
  return PROTOCOLS.filter((p) => protocols.has(p)).flatMap((protocol) => [...ports].map((port) => ({ protocol, port })));
}

export function outsideAddresses(policySet: PolicySet, inventory: Inventory): Address[] {
  const podIPs = new Set(inventory.pods.map((p) => addressKey(p.ip)));
  const found = new Map<string, Address>();
  for (const p of policySet.policies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const peer of r.peers) {
        if (!peer.ipBlock) continue;
        for (const text of [peer.ipBlock.cidr, ...peer.ipBlock.except]) {
          const c = parseCidr(text);
          if (!c) continue;
          const first = firstAddress(c);
          const last = lastAddress(c);
          const inner = first + cidrSize(c) / 2n;
          for (const value of [first, last, inner > last ? first : inner]) {
            const a: Address = { family: c.family, value };
            if (!podIPs.has(addressKey(a))) found.set(addressKey(a), a);
          }
        }
      }
    }
  }
  return [...found.values()].sort((a, b) => a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

export function enumerateProbes(policySet: PolicySet, inventory: Inventory): ProbeSet {
  const space = new ProbeSpace(probePoints(policySet, inventory));
  const outside = outsideAddresses(policySet, inventory);
  const n = inventory.pods.length;
  const count = (n * (n - 1) + 2 * n * outside.length) * space.points.length;
  return { space, pods: inventory.pods, outside, count };
}

/** The probes of a set, in verify's order (pod pairs, then pod -> outside, then outside -> pod; points innermost). */
export function* listProbes(set: ProbeSet): Generator<Probe> {
  const ends = set.pods.map((pod) => ({ pod }));
  const outside = set.outside.map((address) => ({ address }));
  for (const from of ends) for (const to of ends) if (from !== to) for (const point of set.space.points) yield { from, to, point };
  for (const from of ends) for (const to of outside) for (const point of set.space.points) yield { from, to, point };
  for (const from of outside) for (const to of ends) for (const point of set.space.points) yield { from, to, point };
}

/** Both evaluators' answers for many probes; ends in the same classes share one evaluation. */
export function evaluateProbes(
  policySet: PolicySet,
  snapshot: Snapshot,
  inventory: Inventory,
  probes: readonly Probe[],
): { kubernetes: boolean; contrail: boolean }[] {
  const space = new ProbeSpace(probes.map((p) => p.point));
  const k8s = new KubernetesEvaluator(policySet, inventory, space);
  const contrail = new ContrailEvaluator(snapshot, inventory, space);
  const cache = new Map<string, { k: Uint32Array; c: Uint32Array }>();
  return probes.map((p) => {
    const ks = k8s.classify(p.from);
    const kd = k8s.classify(p.to);
    const cs = contrail.classify(p.from);
    const cd = contrail.classify(p.to);
    const key = `${ks},${kd},${cs},${cd}`;
    let masks = cache.get(key);
    if (!masks) {
      masks = { k: k8s.allowedMask(ks, kd).slice(), c: contrail.allowedMask(cs, cd).slice() };
      cache.set(key, masks);
    }
    const i = space.indexOf(p.point.protocol, p.point.port)!;
    return { kubernetes: hasPoint(masks.k, i), contrail: hasPoint(masks.c, i) };
  });
}

function parseProtocol(text: string | undefined, where: string): Protocol {
  const p = (text ?? 'TCP').toUpperCase();
  if (p === 'TCP' || p === 'UDP' || p === 'SCTP') return p;
  throw new UserError(`${where}: protocol "${text}" is not one of TCP, UDP, SCTP`);
}

function parsePort(port: unknown, where: string): number {
  if (typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  throw new UserError(`${where}: port ${JSON.stringify(port)} must be a number from 1 to 65535`);
}

/** Resolves a person's probe (names, IPs, protocol default TCP); UserError naming what is wrong. */
export function resolveProbe(inventory: Inventory, input: ProbeInput, where = 'probe'): Probe {
  const from = resolveEnd(inventory, String(input.from));
  const to = resolveEnd(inventory, String(input.to));
  if (!('pod' in from) && !('pod' in to)) {
    throw new UserError(`${where}: neither ${input.from} nor ${input.to} is a pod of the inventory; one end must be a pod`);
  }
  return { from, to, point: { protocol: parseProtocol(input.protocol, where), port: parsePort(input.port, where) } };
}

/** Each probe with both decisions and the policies and rules behind them, in input order. */
export function explain(policySet: PolicySet, snapshot: Snapshot, inventory: Inventory, inputs: readonly ProbeInput[]): ProbeOutcome[] {
  const probes = inputs.map((input, i) => resolveProbe(inventory, input, inputs.length > 1 ? `probe ${i + 1}` : 'probe'));
  const space = new ProbeSpace(probes.map((p) => p.point));
  const k8s = new KubernetesEvaluator(policySet, inventory, space);
  const contrail = new ContrailEvaluator(snapshot, inventory, space);
  return probes.map((p) => outcome(k8s, contrail, space, p));
}

function outcome(k8s: KubernetesEvaluator, contrail: ContrailEvaluator, space: ProbeSpace, p: Probe): ProbeOutcome {
  return {
    from: endName(p.from),
    to: endName(p.to),
    port: p.point.port,
    protocol: p.point.protocol,
    kubernetes: k8s.verdict(p.from, p.to, p.point),
    contrail: contrail.verdict(p.from, p.to, space.indexOf(p.point.protocol, p.point.port)!),
  };
}

// ---------------------------------------------------------------------------------------------
// verify

export interface DivergenceGroup {
  readonly cause: DivergenceKind;
  /** Probes with this cause. */
  readonly count: number;
  /** Of those, where Kubernetes denies and Contrail allows. */
  readonly contrailAllows: number;
  /** Of those, where Kubernetes allows and Contrail denies. */
  readonly contrailDenies: number;
  /** NetworkPolicies the cause points at (`ns/name`), sorted. */
  readonly policies: readonly string[];
  /** The first such probe in verify's order. */
  readonly example: ProbeOutcome;
}

export interface VerifyResult {
  readonly mode: Mode;
  readonly synthesized: boolean;
  readonly pods: number;
  readonly outsideAddresses: number;
  readonly points: readonly ProbePoint[];
  readonly probes: number;
  /** Probes where Contrail's enforcement differs from Kubernetes'. */
  readonly divergent: number;
  /** In DIVERGENCE_KINDS order; only causes that occur. */
  readonly groups: readonly DivergenceGroup[];
}

export interface VerifyOptions {
  /** Defaults to the snapshot's mode. */
  readonly mode?: Mode;
}

interface Group {
  readonly ends: readonly FlowEnd[];
  /** Verify-order index of each member (pods: inventory index; outside: address index). */
  readonly order: readonly number[];
  readonly k: number;
  readonly c: number;
}

interface Tally {
  count: number;
  allows: number;
  denies: number;
  policies: Set<string>;
  example?: { key: readonly number[]; probe: Probe };
}

function groupEnds(ends: readonly FlowEnd[], k8s: KubernetesEvaluator, contrail: ContrailEvaluator): Group[] {
  const groups = new Map<string, { ends: FlowEnd[]; order: number[]; k: number; c: number }>();
  ends.forEach((end, i) => {
    const k = k8s.classify(end);
    const c = contrail.classify(end);
    const key = `${k},${c}`;
    let g = groups.get(key);
    if (!g) {
      g = { ends: [], order: [], k, c };
      groups.set(key, g);
    }
    g.ends.push(end);
    g.order.push(i);
  });
  return [...groups.values()];
}

const keyLess = (a: readonly number[], b: readonly number[]): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
};

export function verify(policySet: PolicySet, snapshot: Snapshot, inventory: Inventory, options: VerifyOptions = {}): VerifyResult {
  const set = enumerateProbes(policySet, inventory);
  const { space } = set;
  const k8s = new KubernetesEvaluator(policySet, inventory, space);
  const contrail = new ContrailEvaluator(snapshot, inventory, space);
  const analyzer = new CauseAnalyzer(policySet, snapshot, inventory);
  const podGroups = groupEnds(set.pods.map((pod) => ({ pod })), k8s, contrail);
  const outsideGroups = groupEnds(set.outside.map((address) => ({ address })), k8s, contrail);
  const tallies = new Map<DivergenceKind, Tally>();
  let divergent = 0;

  const W = space.words;
  /** Records the probes of a group pair on the points where the evaluators differ. */
  const diverge = (a: Group, b: Group, pairs: number, diff: Uint32Array, cm: Uint32Array, key: (point: number) => number[], sameGroup: boolean) => {
    const src = a.ends[0]!;
    const dst = sameGroup ? a.ends[1]! : b.ends[0]!;
    const egress = k8s.egressMask(a.k, b.k).slice();
    const ingress = k8s.ingressMask(a.k, b.k).slice();
    const decisions = contrail.decide(a.c, b.c);
    // Where Contrail allows, the cause depends on the point only through the rules that decided
    // (the pass stands for a Kubernetes rule on that same port): one analysis per decision.
    const byDecision = new Map<string, Attribution>();
    for (const i of pointsOf(diff)) {
      const point = space.points[i]!;
      const sender = contrail.decisionAt(decisions.sender, i);
      const receiver = contrail.decisionAt(decisions.receiver, i);
      const memoKey = hasPoint(cm, i)
        ? `${hasPoint(egress, i)}|${hasPoint(ingress, i)}|${sender?.rule?.name ?? '-'}|${receiver?.rule?.name ?? '-'}|${sender?.allowed}|${receiver?.allowed}`
        : undefined;
      const known = memoKey !== undefined ? byDecision.get(memoKey) : undefined;
      const attribution: Attribution = known ?? analyzer.attribute({
        src,
        dst,
        point,
        kubernetes: {
          egressAllowed: hasPoint(egress, i),
          ingressAllowed: hasPoint(ingress, i),
          allowing: (end) => k8s.allowingRules(src, dst, point, end),
          isolating: (end) => {
            const e = end === 'ingress' ? dst : src;
            return 'pod' in e ? k8s.isolatingPolicies(k8s.classify(e), end) : [];
          },
        },
        contrail: { sender, receiver },
      });
      if (memoKey !== undefined && !known) byDecision.set(memoKey, attribution);
      let t = tallies.get(attribution.cause);
      if (!t) {
        t = { count: 0, allows: 0, denies: 0, policies: new Set() };
        tallies.set(attribution.cause, t);
      }
      t.count += pairs;
      if (hasPoint(cm, i)) t.allows += pairs;
      else t.denies += pairs;
      for (const p of attribution.policies) t.policies.add(p);
      const k = key(i);
      if (!t.example || keyLess(k, t.example.key)) t.example = { key: k, probe: { from: src, to: dst, point } };
      divergent += pairs;
    }
  };

  // Row by row: one sender group against every receiver group, both evaluators' rows side by side.
  const sources: [Group, number][] = [...podGroups.map((g): [Group, number] => [g, 0]), ...outsideGroups.map((g): [Group, number] => [g, 2])];
  const fromPod: [Group, number][] = [...podGroups.map((g): [Group, number] => [g, 0]), ...outsideGroups.map((g): [Group, number] => [g, 1])];
  const fromOutside: [Group, number][] = podGroups.map((g): [Group, number] => [g, 2]);
  for (const [a, aPhase] of sources) {
    const kRow = k8s.allowedRow(a.k);
    const cRow = contrail.allowedRow(a.c);
    for (const [b, phase] of aPhase === 0 ? fromPod : fromOutside) {
      const same = a === b;
      const pairs = same ? a.ends.length * (a.ends.length - 1) : a.ends.length * b.ends.length;
      if (pairs === 0) continue;
      const ko = b.k * W;
      const co = b.c * W;
      let differs = false;
      for (let w = 0; w < W; w++) if (kRow[ko + w] !== cRow[co + w]) differs = true;
      if (!differs) continue;
      const diff = new Uint32Array(W);
      const cm = cRow.slice(co, co + W);
      for (let w = 0; w < W; w++) diff[w] = kRow[ko + w]! ^ cRow[co + w]!;
      const first = a.order[0]!;
      const second = same ? a.order[1]! : b.order[0]!;
      diverge(a, b, pairs, diff, cm, (i) => [phase, first, second, i], same);
    }
  }

  const groups: DivergenceGroup[] = DIVERGENCE_KINDS.flatMap((cause) => {
    const t = tallies.get(cause);
    if (!t) return [];
    return [{
      cause,
      count: t.count,
      contrailAllows: t.allows,
      contrailDenies: t.denies,
      policies: [...t.policies].sort(cmp),
      example: outcome(k8s, contrail, space, t.example!.probe),
    }];
  });
  return {
    mode: options.mode ?? snapshot.mode,
    synthesized: inventory.synthesized,
    pods: set.pods.length,
    outsideAddresses: set.outside.length,
    points: space.points,
    probes: set.count,
    divergent,
    groups,
  };
}
