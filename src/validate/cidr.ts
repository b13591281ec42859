/**
 * IP addresses and CIDRs, parsed as Kubernetes parses the legacy NetworkPolicy fields
 * (k8s.io/utils/net ParseCIDRSloppy: Go's net.ParseCIDR that still accepts leading zeros in
 * IPv4 octets), with BigInt arithmetic so IPv4 and IPv6 are one code path.
 */

export interface ParsedIP {
  readonly family: 4 | 6;
  readonly bits: bigint;
  /** IPv4 octets written with leading zeros (`010.1.2.3`): accepted, but Kubernetes warns. */
  readonly leadingZeros: boolean;
}

export interface ParsedCIDR {
  readonly family: 4 | 6;
  /** The network address (host bits cleared). */
  readonly network: bigint;
  /** The address as written (host bits possibly set). */
  readonly address: bigint;
  readonly prefix: number;
  readonly leadingZeros: boolean;
  /** Written as an IPv4-mapped IPv6 address (`::ffff:10.0.0.0/104`). */
  readonly v4Mapped: boolean;
}

function parseIPv4(s: string): { bits: bigint; leadingZeros: boolean } | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let bits = 0n;
  let leadingZeros = false;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    if (p.length > 1 && p[0] === '0') leadingZeros = true;
    bits = (bits << 8n) | BigInt(n);
  }
  return { bits, leadingZeros };
}

function parseIPv6(s: string): { bits: bigint; leadingZeros: boolean } | undefined {
  // An embedded IPv4 address stands for the last two groups (`::ffff:1.2.3.4`).
  let tail: bigint[] = [];
  let leadingZeros = false;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = [v4.bits >> 16n, v4.bits & 0xffffn];
    leadingZeros = v4.leadingZeros;
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): bigint[] | undefined => {
    if (h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(`0x${g}`));
    }
    return out;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !rest) return undefined;
  (halves.length === 2 ? rest : head).push(...tail);
  const total = head.length + rest.length;
  if (halves.length === 2 ? total > 7 : total !== 8) return undefined;
  const all = halves.length === 2 ? [...head, ...Array<bigint>(8 - total).fill(0n), ...rest] : head;
  let bits = 0n;
  for (const g of all) bits = (bits << 16n) | g;
  return { bits, leadingZeros };
}

export function parseIP(s: string): ParsedIP | undefined {
  if (s.includes(':')) {
    const v6 = parseIPv6(s);
    return v6 && { family: 6, ...v6 };
  }
  const v4 = parseIPv4(s);
  return v4 && { family: 4, ...v4 };
}

const V4_MAPPED_PREFIX = 0xffffn << 32n;

export function parseCIDR(s: string): ParsedCIDR | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(s.slice(0, slash));
  const len = s.slice(slash + 1);
  if (!ip || !/^[0-9]+$/.test(len) || len.length > 3) return undefined;
  const width = ip.family === 4 ? 32 : 128;
  const prefix = Number(len);
  if (prefix > width) return undefined;
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  return {
    family: ip.family,
    address: ip.bits,
    network: ip.bits & ~hostMask,
    prefix,
    leadingZeros: ip.leadingZeros || (len.length > 1 && len[0] === '0'),
    v4Mapped: ip.family === 6 && ip.bits >> 32n === 0xffffn,
  };
}

/** IPv4-mapped IPv6 networks of prefix >= 96 behave as IPv4 in Go's IPNet.Contains. */
function comparable(c: ParsedCIDR): { family: 4 | 6; network: bigint; prefix: number } {
  if (c.v4Mapped && c.prefix >= 96) return { family: 4, network: c.network - V4_MAPPED_PREFIX, prefix: c.prefix - 96 };
  return c;
}

/** `inner` lies inside `outer` and is smaller (Kubernetes' rule for `ipBlock.except`). */
export function isStrictSubset(inner: ParsedCIDR, outer: ParsedCIDR): boolean {
  const i = comparable(inner);
  const o = comparable(outer);
  if (i.family !== o.family || i.prefix <= o.prefix) return false;
  const width = o.family === 4 ? 32 : 128;
  const hostMask = (1n << BigInt(width - o.prefix)) - 1n;
  return (i.network & ~hostMask) === o.network;
}

/** Canonical text of a network (RFC 5952 for IPv6), as Go's IPNet.String prints it. */
export function formatCIDR(c: ParsedCIDR): string {
  return `${formatIP(c.network, c.family)}/${c.prefix}`;
}

export function formatIP(bits: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((bits >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((bits >> BigInt(112 - 16 * i)) & 0xffffn));
  // Longest run of at least two zero groups becomes '::' (the first one on a tie).
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
