/**
 * The probe points of a simulation: the (protocol, destination port) pairs every flow is tried on,
 * and bit masks over them. Both evaluators answer "on which points is A -> B allowed" as a mask, so
 * a pair of pods is compared on all its ports in a few word operations.
 */
import type { Protocol } from '../model/policy.js';

export interface ProbePoint {
  readonly protocol: Protocol;
  readonly port: number;
}

export type PointMask = Uint32Array;

const PROTOCOL_ORDER: Record<Protocol, number> = { TCP: 0, UDP: 1, SCTP: 2 };

export class ProbeSpace {
  /** Sorted by protocol (TCP, UDP, SCTP), then port; no duplicates. */
  readonly points: readonly ProbePoint[];
  readonly words: number;
  private readonly byKey: ReadonlyMap<string, number>;

  constructor(points: readonly ProbePoint[]) {
    const unique = new Map(points.map((p) => [`${p.protocol}/${p.port}`, p]));
    this.points = [...unique.values()].sort(
      (a, b) => PROTOCOL_ORDER[a.protocol] - PROTOCOL_ORDER[b.protocol] || a.port - b.port,
    );
    this.words = Math.max(1, Math.ceil(this.points.length / 32));
    this.byKey = new Map(this.points.map((p, i) => [`${p.protocol}/${p.port}`, i]));
  }

  indexOf(protocol: Protocol, port: number): number | undefined {
    return this.byKey.get(`${protocol}/${port}`);
  }

  empty(): PointMask {
    return new Uint32Array(this.words);
  }

  full(): PointMask {
    const m = new Uint32Array(this.words);
    for (let i = 0; i < this.points.length; i++) m[i >>> 5]! |= 1 << (i & 31);
    return m;
  }

  /** The mask of the points for which `test` holds. */
  where(test: (p: ProbePoint) => boolean): PointMask {
    const m = new Uint32Array(this.words);
    this.points.forEach((p, i) => {
      if (test(p)) m[i >>> 5]! |= 1 << (i & 31);
    });
    return m;
  }
}

export function hasPoint(m: PointMask, i: number): boolean {
  return (m[i >>> 5]! & (1 << (i & 31))) !== 0;
}

export function isEmpty(m: PointMask): boolean {
  for (let w = 0; w < m.length; w++) if (m[w] !== 0) return false;
  return true;
}

/** Indexes of the set points, ascending. */
export function pointsOf(m: PointMask): number[] {
  const out: number[] = [];
  for (let w = 0; w < m.length; w++) {
    let bits = m[w]!;
    while (bits !== 0) {
      const low = bits & -bits;
      out.push(w * 32 + 31 - Math.clz32(low));
      bits ^= low;
    }
  }
  return out;
}

export function formatPoint(p: ProbePoint): string {
  return `${p.protocol} ${p.port}`;
}
