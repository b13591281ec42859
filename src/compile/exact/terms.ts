/**
 * Tag terms: a conjunction of Contrail tags (`type=value`), the only set of pods a firewall-rule
 * endpoint can name. A pod carries at most one tag of a type, so two terms that ask for different
 * values of one type select no pod in common; a term with fewer tags selects more pods. A set of
 * pods is a union of terms (one rule endpoint each); the empty term selects every pod.
 */
import { cmp } from '../../diagnostics.js';
import { NAMESPACE_NAME_LABEL } from '../../simulate/inventory.js';
import { tagText } from '../../snapshot/workload-tags.js';

export class Term {
  /** Sorted by tag type; one value per type. Terms are small: lookups are linear walks. */
  readonly entries: readonly (readonly [type: string, value: string])[];
  private keyText?: string;

  private constructor(entries: readonly (readonly [string, string])[]) {
    this.entries = entries;
  }

  /** From `[type, value]` pairs; undefined when one type is asked for with two values (no pod). */
  static of(pairs: Iterable<readonly [string, string]>): Term | undefined {
    const m = new Map<string, string>();
    for (const [t, v] of pairs) {
      const had = m.get(t);
      if (had !== undefined && had !== v) return undefined;
      m.set(t, v);
    }
    return new Term([...m].sort((a, b) => cmp(a[0], b[0])));
  }

  static readonly EVERY_POD: Term = new Term([]);

  /** Identity for sets and maps: equal terms have equal keys. */
  get key(): string {
    this.keyText ??= this.entries.map(([t, v]) => `${t}=${v}`).join('\u0000');
    return this.keyText;
  }

  get size(): number {
    return this.entries.length;
  }

  get(type: string): string | undefined {
    for (const [t, v] of this.entries) if (t === type) return v;
    return undefined;
  }

  /** The pods both terms select; undefined when no pod can carry both (a merge of the sorted entries). */
  intersect(other: Term): Term | undefined {
    const a = this.entries;
    const b = other.entries;
    if (a.length === 0) return other;
    if (b.length === 0) return this;
    const out: (readonly [string, string])[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a[i]!;
      const y = b[j]!;
      if (x[0] === y[0]) {
        if (x[1] !== y[1]) return undefined;
        out.push(x);
        i++;
        j++;
      } else if (x[0] < y[0]) {
        out.push(x);
        i++;
      } else {
        out.push(y);
        j++;
      }
    }
    while (i < a.length) out.push(a[i++]!);
    while (j < b.length) out.push(b[j++]!);
    return out.length === a.length ? this : out.length === b.length ? other : new Term(out);
  }

  with(type: string, value: string): Term | undefined {
    return this.intersect(new Term([[type, value]]));
  }

  /** Every pod `other` selects, this term selects too (this asks for a subset of other's tags). */
  covers(other: Term): boolean {
    const a = this.entries;
    const b = other.entries;
    if (a.length > b.length) return false;
    let j = 0;
    for (const [t, v] of a) {
      while (j < b.length && b[j]![0] < t) j++;
      if (j === b.length || b[j]![0] !== t || b[j]![1] !== v) return false;
      j++;
    }
    return true;
  }

  /** Tag names in the order endpoints list them: label tags by type, then `namespace=`. */
  tagNames(): string[] {
    const ns = this.get('namespace');
    const labels = this.entries.filter(([t]) => t !== 'namespace').map(([t, v]) => `${t}=${v}`);
    return ns === undefined ? labels : [...labels, `namespace=${ns}`];
  }
}

/** The tag every pod carries for Kubernetes' `kubernetes.io/metadata.name` namespace label. */
const NAMESPACE_NAME_TAG = tagText(NAMESPACE_NAME_LABEL).toLowerCase();

/**
 * The namespace a term's pods live in: its `namespace=` tag, or the tag of the name label Kubernetes
 * gives every namespace (which wins over a pod label), when it names one. A term can only cover
 * terms of its own namespace.
 */
export function namespaceOf(term: Term): string | undefined {
  return term.get('namespace') ?? term.get(NAMESPACE_NAME_TAG);
}

/** A union of terms with every term that another one covers dropped (`{}` absorbs everything); sorted by key. */
export function absorb(terms: readonly Term[]): Term[] {
  const unique = [...new Map(terms.map((t) => [t.key, t])).values()].sort((a, b) => a.size - b.size || cmp(a.key, b.key));
  // Only a term of the same namespace, or one that names none, can cover a term.
  const kept = new Map<string, Term[]>();
  const open: Term[] = [];
  for (const t of unique) {
    const ns = namespaceOf(t);
    const same = ns === undefined ? open : (kept.get(ns) ?? []);
    if (same.some((k) => k.covers(t)) || (ns !== undefined && open.some((k) => k.covers(t)))) continue;
    if (ns === undefined) open.push(t);
    else kept.set(ns, [...same, t]);
  }
  return [...open, ...[...kept.values()].flat()].sort((a, b) => cmp(a.key, b.key));
}
