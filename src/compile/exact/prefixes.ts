/**
 * Prefix arithmetic for mode `exact`: an ipBlock is `cidr` minus its `except` ranges, and a
 * Contrail address group can only list prefixes, so the difference is written as the minimal list
 * of prefixes that covers exactly the same addresses (IPv4 and IPv6 alike, BigInt throughout).
 *
 * The minimal list is the set of maximal aligned blocks inside the difference: a block is kept whole
 * when no hole touches it and split in its two halves when one does, so every block that comes out
 * has a parent that a hole touches and cannot be merged with anything. That decomposition is unique,
 * and no list of prefixes covering the same addresses is shorter.
 */
import { type Cidr, cidrContains, familyBits, formatCidr, parseCidr } from '../../net/ip.js';


export type { Cidr };

/** How much of a set of addresses (the pods' addresses) an address set covers. */
export type Coverage = 'all' | 'none' | 'partial';

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** The two halves of a prefix (it must not be a single address). */
function halves(c: Cidr): [Cidr, Cidr] {
  const len = c.len + 1;
  const bit = 1n << BigInt(familyBits(c.family) - len);
  return [
    { family: c.family, network: c.network, len },
    { family: c.family, network: c.network | bit, len },
  ];
}

export function compareCidrs(a: Cidr, b: Cidr): number {
  return a.family - b.family || (a.network < b.network ? -1 : a.network > b.network ? 1 : 0) || a.len - b.len;
}

function parentOf(c: Cidr): Cidr {
  const len = c.len - 1;
  const bits = familyBits(c.family);
  const mask = len === 0 ? 0n : ((1n << BigInt(len)) - 1n) << BigInt(bits - len);
  return { family: c.family, network: c.network & mask, len };
}

/** `from` minus every hole: the minimal prefix list, sorted. */
export function subtractCidrs(from: Cidr, holes: readonly Cidr[]): Cidr[] {
  const relevant = holes.filter((h) => cidrsOverlap(from, h));
  if (relevant.length === 0) return [from];
  if (relevant.some((h) => cidrContains(h, from))) return [];
  const [low, high] = halves(from);
  return [...subtractCidrs(low, relevant), ...subtractCidrs(high, relevant)];
}

/** The union of prefixes as the minimal prefix list, sorted (contained ones dropped, sibling halves merged). */
export function normalizeCidrs(cidrs: readonly Cidr[]): Cidr[] {
  const sorted = [...cidrs].sort(compareCidrs);
  const stack: Cidr[] = [];
  for (const c of sorted) {
    const top = stack[stack.length - 1];
    if (top && cidrContains(top, c)) continue;
    stack.push(c);
    // Two adjacent halves of one parent become the parent, which may in turn pair with its sibling.
    for (;;) {
      const b = stack[stack.length - 1]!;
      const a = stack[stack.length - 2];
      if (!a || a.family !== b.family || a.len !== b.len || a.len === 0) break;
      const parent = parentOf(a);
      const [low, high] = halves(parent);
      if (a.network !== low.network || b.network !== high.network) break;
      stack.splice(stack.length - 2, 2, parent);
    }
  }
  return stack;
}

/** Every address of `inner` lies in one of the prefixes of `outer`. */
export function cidrSetCovers(outer: readonly Cidr[], inner: readonly Cidr[]): boolean {
  return inner.every((c) => subtractCidrs(c, outer).length === 0);
}

export function cidrSetsOverlap(a: readonly Cidr[], b: readonly Cidr[]): boolean {
  return a.some((x) => b.some((y) => cidrsOverlap(x, y)));
}

/** How much of `space` the prefix list covers. */
export function coverage(set: readonly Cidr[], space: readonly Cidr[]): Coverage {
  if (!cidrSetsOverlap(set, space)) return 'none';
  return cidrSetCovers(set, space) ? 'all' : 'partial';
}

/** A validated CIDR (the front end checked it); host bits are cleared. */
export function cidrOf(text: string): Cidr {
  const c = parseCidr(text.trim());
  if (!c) throw new Error(`not a CIDR after validation: ${text}`);
  return c;
}

/** The single-address prefix of an address (`10.0.0.7/32`, `fd00::7/128`). */
export function hostCidr(address: { family: 4 | 6; value: bigint }): Cidr {
  return { family: address.family, network: address.value, len: familyBits(address.family) };
}

export { formatCidr };

/** The prefixes as the snapshot writes them: `{ip, len}`. */
export function snapshotPrefixes(cidrs: readonly Cidr[]): { ip: string; len: number }[] {
  return cidrs.map((c) => {
    const text = formatCidr(c);
    const slash = text.lastIndexOf('/');
    return { ip: text.slice(0, slash), len: c.len };
  });
}

/** Stable text for a prefix list (sorting and keys). */
export function cidrListText(cidrs: readonly Cidr[]): string {
  return [...cidrs].sort(compareCidrs).map(formatCidr).join(',');
}
