/**
 * Services of mode `exact`: a protocol and a destination port range. A rule without ports is every
 * protocol (`any`); a port entry is its protocol with `port..endPort` (or the whole range without a
 * port). The port entries of one rule are merged per protocol (overlapping and adjacent ranges
 * become one), so `ports: [80, 81]` is one firewall rule, not two.
 */
import { cmp } from '../../diagnostics.js';
import type { PolicyPort } from '../../model/policy.js';
import type { Service } from '../../snapshot/model.js';

export interface Svc {
  /** `tcp`, `udp`, `sctp` or `any`. */
  readonly protocol: string;
  readonly start: number;
  readonly end: number;
}

export const ANY_SVC: Svc = { protocol: 'any', start: 0, end: 65535 };

const FULL = { start: 0, end: 65535 };

export function svcIntersect(a: Svc, b: Svc): Svc | undefined {
  if (a.protocol === 'any') return b;
  if (b.protocol === 'any') return a;
  if (a.protocol !== b.protocol) return undefined;
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return start <= end ? { protocol: a.protocol, start, end } : undefined;
}

/** Every (protocol, port) `b` admits, `a` admits. */
export function svcCovers(a: Svc, b: Svc): boolean {
  if (a.protocol === 'any') return true;
  return a.protocol === b.protocol && a.start <= b.start && b.end <= a.end;
}

export const svcKey = (s: Svc): string => `${s.protocol}:${s.start}-${s.end}`;

/** For rule names: `any`, `tcp` (every port), `tcp-6379`, `tcp-8000-8080`. */
export function svcLabel(s: Svc): string {
  if (s.protocol === 'any') return 'any';
  if (s.start === FULL.start && s.end === FULL.end) return s.protocol;
  return s.start === s.end ? `${s.protocol}-${s.start}` : `${s.protocol}-${s.start}-${s.end}`;
}

export function snapshotService(s: Svc): Service {
  return { protocol: s.protocol, dstPorts: { start: s.start, end: s.end } };
}

/** A named port entry: resolved per destination pod from the workloads' container ports. */
export interface NamedPort {
  readonly name: string;
  /** Lower-case, as services write it. */
  readonly protocol: string;
  readonly entry: PolicyPort;
}

/** A rule's ports: the numeric ones merged into services, the named ones left to resolve. */
export function ruleServices(ports: readonly PolicyPort[]): { services: Svc[]; named: NamedPort[] } {
  if (ports.length === 0) return { services: [ANY_SVC], named: [] };
  const named: NamedPort[] = [];
  const byProtocol = new Map<string, { start: number; end: number }[]>();
  for (const p of ports) {
    const protocol = p.protocol.toLowerCase();
    if (typeof p.port === 'string') {
      named.push({ name: p.port, protocol, entry: p });
      continue;
    }
    const range = p.port === undefined ? FULL : { start: p.port, end: p.endPort ?? p.port };
    byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), range]);
  }
  const services: Svc[] = [];
  for (const protocol of [...byProtocol.keys()].sort(cmp)) {
    const ranges = byProtocol.get(protocol)!.sort((a, b) => a.start - b.start || a.end - b.end);
    let cur = { ...ranges[0]! };
    for (const r of ranges.slice(1)) {
      if (r.start <= cur.end + 1) cur.end = Math.max(cur.end, r.end);
      else {
        services.push({ protocol, ...cur });
        cur = { ...r };
      }
    }
    services.push({ protocol, ...cur });
  }
  return { services, named };
}
