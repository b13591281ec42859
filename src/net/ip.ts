/**
 * IPv4 and IPv6 addresses and CIDRs as BigInt numbers, so that both families are one code path:
 * parsing (as Kubernetes parses the NetworkPolicy fields: Go's net.ParseCIDR, which still accepts
 * IPv4 octets with leading zeros), canonical text (as Go prints it; RFC 5952 for IPv6), sizes and
 * containment. Only arithmetic lives here: what deserves a warning is the validator's decision, and
 * how a peer matches an address is each simulator evaluator's own.
 */

export type Family = 4 | 6;

export interface Address {
  readonly family: Family;
  readonly value: bigint;
}

export interface Cidr {
  readonly family: Family;
  /** The network address (host bits cleared). */
  readonly network: bigint;
  readonly len: number;
}

/** An address with what the text said beyond its value. */
export interface WrittenAddress {
  readonly address: Address;
  /** IPv4 octets written with leading zeros (`010.1.2.3`): Go's parser accepts them. */
  readonly leadingZeros: boolean;
}

/** A CIDR with what the text said beyond the network. */
export interface WrittenCidr {
  readonly cidr: Cidr;
  /** The address as written, host bits possibly set. */
  readonly address: Address;
  /** Leading zeros in an IPv4 octet or in the prefix length (`10.0.0.0/08`). */
  readonly leadingZeros: boolean;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

export function familyBits(f: Family): number {
  return BITS[f];
}

function parseIPv4(text: string): { value: bigint; leadingZeros: boolean } | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  let leadingZeros = false;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    if (p.length > 1 && p[0] === '0') leadingZeros = true;
    value = (value << 8n) | BigInt(n);
  }
  return { value, leadingZeros };
}

function parseIPv6(text: string): { value: bigint; leadingZeros: boolean } | undefined {
  // An embedded IPv4 address stands for the last two groups (`::ffff:1.2.3.4`).
  let s = text;
  let tail: bigint[] = [];
  let leadingZeros = false;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = [v4.value >> 16n, v4.value & 0xffffn];
    leadingZeros = v4.leadingZeros;
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): bigint[] | undefined => {
    if (h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(`0x${g}`));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  (halves.length === 2 ? rest : head).push(...tail);
  const total = head.length + rest.length;
  if (halves.length === 2 ? total > 7 : total !== 8) return undefined;
  const all = halves.length === 2 ? [...head, ...Array<bigint>(8 - total).fill(0n), ...rest] : head;
  let value = 0n;
  for (const g of all) value = (value << 16n) | g;
  return { value, leadingZeros };
}

/** An IP address exactly as written (no white space around it). */
export function parseAddressAsWritten(text: string): WrittenAddress | undefined {
  const family: Family = text.includes(':') ? 6 : 4;
  const parsed = family === 6 ? parseIPv6(text) : parseIPv4(text);
  return parsed && { address: { family, value: parsed.value }, leadingZeros: parsed.leadingZeros };
}

/** A CIDR exactly as written (`10.0.0.1/8` keeps its host bits in `address`). */
export function parseCidrAsWritten(text: string): WrittenCidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseAddressAsWritten(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(lenText)) return undefined;
  const { family, value } = ip.address;
  const len = Number(lenText);
  if (len > BITS[family]) return undefined;
  return {
    cidr: { family, network: value & prefixMask(family, len), len },
    address: ip.address,
    leadingZeros: ip.leadingZeros || (lenText.length > 1 && lenText[0] === '0'),
  };
}

/** An address from a value read elsewhere (a manifest, a flag): white space around it is ignored. */
export function parseAddress(text: string): Address | undefined {
  return parseAddressAsWritten(text.trim())?.address;
}

/** `10.0.0.0/24`, white space around the address ignored as by parseAddress; host bits are cleared. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  return parseCidrAsWritten(`${text.slice(0, slash).trim()}${text.slice(slash)}`)?.cidr;
}

function prefixMask(family: Family, len: number): bigint {
  const bits = BigInt(BITS[family]);
  const all = (1n << bits) - 1n;
  return len === 0 ? 0n : (all >> (bits - BigInt(len))) << (bits - BigInt(len));
}

/** How many addresses the CIDR holds. */
export function cidrSize(c: Cidr): bigint {
  return 1n << BigInt(BITS[c.family] - c.len);
}

export function firstAddress(c: Cidr): bigint {
  return c.network;
}

export function lastAddress(c: Cidr): bigint {
  return c.network + cidrSize(c) - 1n;
}

/** `outer` holds every address of `inner` (the same CIDR included). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || outer.len > inner.len) return false;
  const shift = BigInt(BITS[outer.family] - outer.len);
  return outer.network >> shift === inner.network >> shift;
}

export function cidrContainsAddress(c: Cidr, a: Address): boolean {
  return c.family === a.family && a.value >= c.network && a.value <= lastAddress(c);
}

/** `inner` lies inside `outer` and is smaller. */
export function isStrictSubset(inner: Cidr, outer: Cidr): boolean {
  return inner.len > outer.len && cidrContains(outer, inner);
}

const V4_MAPPED_PREFIX = 0xffffn << 32n;

/** An IPv4-mapped IPv6 address (`::ffff:10.1.2.3`). */
export function isV4Mapped(a: Address): boolean {
  return a.family === 6 && a.value >> 32n === 0xffffn;
}

/** An IPv4-mapped IPv6 network (`::ffff:10.0.0.0/104`) as the IPv4 network it maps; any other unchanged. */
export function unmapV4(c: Cidr): Cidr {
  if (c.len < 96 || !isV4Mapped({ family: c.family, value: c.network })) return c;
  return { family: 4, network: c.network - V4_MAPPED_PREFIX, len: c.len - 96 };
}

/** Canonical text: dotted quad, or RFC 5952 for IPv6 (as Go's IP.String prints it). */
export function formatAddress(a: Address): string {
  if (a.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((a.value >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of at least two zero groups becomes '::' (the first one on a tie).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (best < 0) return hex(groups);
  return `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

export function formatCidr(c: Cidr): string {
  return `${formatAddress({ family: c.family, value: c.network })}/${c.len}`;
}

/** A map key for an address (equal for equal addresses, distinct across families). */
export function addressKey(a: Address): string {
  return `${a.family}:${a.value.toString(16)}`;
}

/**
 * Values keyed by CIDR, found from an address: prefixes by family and length, keyed by their
 * network part, so `holding(a)` costs one lookup per prefix length in use instead of a test of
 * every prefix (the simulators ask it for tens of thousands of pods against thousands of prefixes).
 */
export class PrefixMap<V> {
  private readonly byFamily = new Map<Family, Map<number, Map<number | bigint, V>>>();

  get(c: Cidr): V | undefined {
    return this.byFamily.get(c.family)?.get(c.len)?.get(networkKey(c.network, c.family, c.len));
  }

  set(c: Cidr, value: V): void {
    let byLength = this.byFamily.get(c.family);
    if (!byLength) this.byFamily.set(c.family, (byLength = new Map()));
    let byNetwork = byLength.get(c.len);
    if (!byNetwork) byLength.set(c.len, (byNetwork = new Map()));
    byNetwork.set(networkKey(c.network, c.family, c.len), value);
  }

  /** The values of the prefixes that hold `a`, one per prefix. */
  holding(a: Address): V[] {
    const out: V[] = [];
    for (const [len, byNetwork] of this.byFamily.get(a.family) ?? []) {
      const v = byNetwork.get(networkKey(a.value, a.family, len));
      if (v !== undefined) out.push(v);
    }
    return out;
  }
}

/** The network part of an address for a prefix length: equal for an address and a prefix exactly when the prefix holds it. */
function networkKey(value: bigint, family: Family, len: number): number | bigint {
  // Plain numbers for IPv4 (no BigInt allocation): this runs for every pod and every prefix length.
  if (family === 4) return Math.floor(Number(value) / 2 ** (32 - len));
  return value >> BigInt(BITS[family] - len);
}
