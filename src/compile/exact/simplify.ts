/**
 * Rules that can never decide a flow are left out. A rule that can never be the first match: a rule whose every flow an earlier rule
 * (in an earlier firewall policy) matches, or another rule of the same firewall policy matches (all
 * rules of one section have the same action, so their order among themselves does not matter).
 * This is what merges unions: `any` absorbs every rule of its section with the same service, a tag
 * set absorbs its supersets, a product absorbed by a grant disappears, identical rules stay once.
 * And a deny whose flows a later deny also denies, with no pass between them that could match one
 * of those flows: without it they reach the later deny (this drops a pair of (2) once every pass
 * of (3) it protected has gone).
 */
import { cmp } from '../../diagnostics.js';
import type { DraftRule } from './construct.js';
import { SECTIONS } from './construct.js';
import { type Party, partyCoversPods, partyKey } from './grants.js';
import { cidrSetCovers, cidrSetsOverlap } from './prefixes.js';
import { svcCovers, svcIntersect, svcKey } from './services.js';
import { namespaceOf } from './terms.js';

/** Every address or pod `b` matches, `a` matches (tags never match an outside address). */
export function partyCovers(a: Party, b: Party): boolean {
  if (a.kind === 'any') return true;
  if (b.kind === 'any') return false;
  if (a.kind === 'pods') return b.kind === 'pods' && a.term.covers(b.term);
  if (b.kind === 'block') return cidrSetCovers(a.block.cidrs, b.block.cidrs);
  return partyCoversPods(a, b.term);
}

export const ruleContentKey = (r: DraftRule): string => [r.action, svcKey(r.service), partyKey(r.src), partyKey(r.dst)].join('\u0001');

function covers(a: DraftRule, b: DraftRule): boolean {
  return svcCovers(a.service, b.service) && partyCovers(a.src, b.src) && partyCovers(a.dst, b.dst);
}

/** Where a party's pods live, when it names one namespace; `*` otherwise (it may meet or cover any). */
const namespaceKey = (p: Party): string => (p.kind === 'pods' ? (namespaceOf(p.term) ?? '*') : '*');

/**
 * Rule positions by (source namespace, destination namespace, protocol), in the order added. A rule
 * can only cover or meet another through a side of the same namespace or one that names none
 * (`*`), and a service of the same protocol or `any`. Lists are reached from the source side or,
 * when the source names no namespace, from the destination side, so a query touches only the
 * lists that can hold an answer.
 */
class RuleIndex {
  private readonly bySrc = new Map<string, Map<string, Map<string, number[]>>>();
  private readonly byDst = new Map<string, Map<string, Map<string, number[]>>>();

  constructor(private readonly rules: readonly DraftRule[]) {}

  add(i: number): void {
    const r = this.rules[i]!;
    const s = namespaceKey(r.src);
    const d = namespaceKey(r.dst);
    const p = r.service.protocol;
    const level = <K, V>(m: Map<K, V>, k: K, make: () => V): V => {
      let v = m.get(k);
      if (v === undefined) m.set(k, (v = make()));
      return v;
    };
    const byProtocol = level(level(this.bySrc, s, () => new Map()), d, () => new Map<string, number[]>());
    let list = byProtocol.get(p);
    if (!list) {
      list = [];
      byProtocol.set(p, list);
      level(level(this.byDst, d, () => new Map()), s, () => new Map<string, number[]>()).set(p, list);
    }
    list.push(i);
  }

  /**
   * The position lists that may hold a rule covering `r` (`cover`), or meeting it. A side that names
   * a namespace is covered or met only through the same namespace or `*`; a side that names none is
   * covered only through `*` but met through any. A cover needs the protocol or `any`.
   */
  lists(r: DraftRule, cover: boolean): number[][] {
    const s = namespaceKey(r.src);
    const d = namespaceKey(r.dst);
    const p = r.service.protocol;
    // Start from the side that narrows most: the source, unless it names no namespace in a meet query.
    const viaSource = s !== '*' || cover || d === '*';
    const out: number[][] = [];
    for (const m of sideMaps(viaSource ? this.bySrc : this.byDst, viaSource ? s : d, cover)) {
      for (const byProtocol of sideMaps(m, viaSource ? d : s, cover)) {
        if (!cover && p === 'any') {
          for (const l of byProtocol.values()) out.push(l);
          continue;
        }
        const own = byProtocol.get(p);
        if (own) out.push(own);
        const any = p === 'any' ? undefined : byProtocol.get('any');
        if (any) out.push(any);
      }
    }
    return out;
  }
}

/** The entries of a side's map a query reaches: the key's own and `*`'s; every entry for a `*` key in a meet query. */
function sideMaps<T>(m: Map<string, T> | undefined, key: string, cover: boolean): Iterable<T> {
  if (!m) return [];
  if (key === '*' && !cover) return m.values();
  const own = key === '*' ? undefined : m.get(key);
  const open = m.get('*');
  return own ? (open ? [own, open] : [own]) : open ? [open] : [];
}

/** The rules that can be a first match, in section order (order within a section kept). */
export function dropShadowed(rules: readonly DraftRule[]): DraftRule[] {
  const rank = new Map<string, number>(SECTIONS.map((s, i) => [s, i]));
  const ordered = [...rules].sort((a, b) => rank.get(a.section)! - rank.get(b.section)!);
  const tieBreak = (a: DraftRule, b: DraftRule) => cmp(a.name, b.name) || cmp(ruleContentKey(a), ruleContentKey(b));
  const earlier = new RuleIndex(ordered);
  const kept: DraftRule[] = [];
  let start = 0;
  while (start < ordered.length) {
    let end = start;
    while (end < ordered.length && ordered[end]!.section === ordered[start]!.section) end++;
    const own = new RuleIndex(ordered);
    for (let i = start; i < end; i++) own.add(i);
    for (let i = start; i < end; i++) {
      const r = ordered[i]!;
      if (earlier.lists(r, true).some((l) => l.some((j) => covers(ordered[j]!, r)))) continue;
      // Within the section: dropped when another rule covers it, unless they cover each other and it comes first.
      const shadowed = own.lists(r, true).some((l) =>
        l.some((j) => {
          const o = ordered[j]!;
          return j !== i && covers(o, r) && (!covers(r, o) || tieBreak(o, r) < 0);
        }),
      );
      if (!shadowed) kept.push(r);
    }
    for (let i = start; i < end; i++) earlier.add(i);
    start = end;
  }
  return kept;
}

/** Some flow may match both parties (as tags alone: a term a known namespace rules out still counts). */
function partiesMeet(a: Party, b: Party): boolean {
  if (a.kind === 'any' || b.kind === 'any') return true;
  if (a.kind === 'block' && b.kind === 'block') return cidrSetsOverlap(a.block.cidrs, b.block.cidrs);
  if (a.kind === 'pods' && b.kind === 'pods') return a.term.intersect(b.term) !== undefined;
  const block = a.kind === 'block' ? a : b;
  return block.kind !== 'block' || block.block.pods.kind !== 'none';
}

const rulesMeet = (a: DraftRule, b: DraftRule): boolean =>
  svcIntersect(a.service, b.service) !== undefined && partiesMeet(a.src, b.src) && partiesMeet(a.dst, b.dst);

/** `rules` (in evaluation order) without the denies a later deny makes redundant. */
export function dropRedundantDenies(rules: readonly DraftRule[]): DraftRule[] {
  const keep = rules.map(() => true);
  const later = new RuleIndex(rules);
  for (let i = rules.length - 1; i >= 0; i--) {
    const d = rules[i]!;
    if (d.action === 'deny') {
      // The first later rule that decides some of d's flows: a pass that meets it, or a deny that covers it.
      let first = Infinity;
      let covered = false;
      // Positions were added from the end, so each list is descending: walk it from its tail.
      for (const list of later.lists(d, false)) {
        for (let k = list.length - 1; k >= 0; k--) {
          const j = list[k]!;
          if (j >= first) break;
          if (!keep[j]) continue;
          const r = rules[j]!;
          if (r.action === 'deny' ? covers(r, d) : rulesMeet(r, d)) {
            first = j;
            covered = r.action === 'deny';
            break;
          }
        }
      }
      if (covered) keep[i] = false;
    }
    if (keep[i]) later.add(i);
  }
  return rules.filter((_, i) => keep[i]);
}

