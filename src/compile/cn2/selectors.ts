/**
 * Label selectors -> tag lists, as kube-manager's FWRule._get_tags and _get_np_pod_selector build
 * them: a Python dict filled in a fixed order, then one tag created per entry, in that order.
 * The order matters: it is the order of the `tags` of an endpoint, part of what CN2 stores.
 */
import type { LabelRequirement, LabelSelector } from '../../model/policy.js';
import { at, type Origin } from '../../model/source.js';
import type { ConfigStore } from './store.js';

/** One entry of the dict: the tag's type and value, and the field it comes from. */
export interface TagEntry {
  readonly type: string;
  readonly value: string;
  readonly origin: Origin;
}

const SLASH = '__slash__';

/** How the selector was read, for the findings: what CN2 kept and what it dropped. */
export interface SelectorReading {
  /** The tags of the endpoint (empty: CN2 writes `any`). */
  readonly tags: readonly string[];
  /** matchLabels entries that were replaced by the expressions' tags. */
  readonly droppedLabels: boolean;
  /** In/NotIn expressions that had more than one value (only the last is kept). */
  readonly truncated: readonly LabelRequirement[];
  readonly notIn: readonly LabelRequirement[];
  /** Exists / DoesNotExist expressions (dropped). */
  readonly dropped: readonly LabelRequirement[];
  /** Keys or values kept with a '/' (only matchExpressions): pods carry `__slash__` instead. */
  readonly unescapedSlash: readonly TagEntry[];
}

/**
 * FWRule._get_tags(selector, namespace): matchLabels ('/' written `__slash__`; an entry whose key or
 * value changes moves to the end of the dict) plus `namespace=NS` when asked; then, when In/NotIn
 * expressions exist, a second dict replaces it: one entry per key holding the LAST value seen,
 * plus `namespace=NS`. Both dicts' tags are created, in order.
 */
export function selectorTags(store: ConfigStore, selector: LabelSelector, namespace?: string): SelectorReading {
  let tags: string[] = [];
  const labels = new Map<string, TagEntry>();
  for (const [key, value] of selector.matchLabels) {
    labels.set(key, { type: key, value, origin: at(selector.origin, 'matchLabels', key) });
  }
  if (labels.size > 0) {
    for (const key of [...labels.keys()]) {
      const entry = labels.get(key)!;
      if (entry.type.includes('/') || entry.value.includes('/')) {
        labels.delete(key);
        const type = entry.type.replaceAll('/', SLASH);
        labels.set(type, { type, value: entry.value.replaceAll('/', SLASH), origin: entry.origin });
      }
    }
    if (namespace !== undefined) labels.set('namespace', namespaceEntry(selector, namespace));
    tags = createTags(store, labels);
  }

  const expressions = new Map<string, TagEntry>();
  const truncated: LabelRequirement[] = [];
  const notIn: LabelRequirement[] = [];
  const dropped: LabelRequirement[] = [];
  for (const req of selector.matchExpressions) {
    if (req.operator === 'In' || req.operator === 'NotIn') {
      for (const value of req.values) expressions.set(req.key, { type: req.key, value, origin: at(req.origin, 'values') });
      if (req.values.length > 1) truncated.push(req);
      if (req.operator === 'NotIn') notIn.push(req);
    } else {
      dropped.push(req);
    }
  }
  const unescapedSlash = [...expressions.values()].filter((e) => e.type.includes('/') || e.value.includes('/'));
  const droppedLabels = expressions.size > 0 && selector.matchLabels.length > 0;
  if (expressions.size > 0) {
    if (namespace !== undefined) expressions.set('namespace', namespaceEntry(selector, namespace));
    tags = createTags(store, expressions);
  }
  return { tags, droppedLabels, truncated, notIn, dropped, unescapedSlash };
}

/**
 * FWRule._get_np_pod_selector + get_tags_fn: the policy's own `spec.podSelector` uses only its
 * matchLabels (expressions ignored), adds `namespace=NS`, and does NOT write '/' as `__slash__`.
 */
export function selectedPodTags(store: ConfigStore, podSelector: LabelSelector, namespace: string): { tags: string[]; unescapedSlash: TagEntry[] } {
  const entries = new Map<string, TagEntry>();
  for (const [key, value] of podSelector.matchLabels) {
    entries.set(key, { type: key, value, origin: at(podSelector.origin, 'matchLabels', key) });
  }
  entries.set('namespace', namespaceEntry(podSelector, namespace));
  const unescapedSlash = [...entries.values()].filter((e) => e.type.includes('/') || e.value.includes('/'));
  return { tags: createTags(store, entries), unescapedSlash };
}

/** What a tag written with '/' is called on the pods (Contrail's tag convention). */
export function podTagName(entry: TagEntry): string {
  return `${entry.type.replaceAll('/', SLASH)}=${entry.value.replaceAll('/', SLASH)}`;
}

export function isEmptySelector(s: LabelSelector): boolean {
  return s.matchLabels.length === 0 && s.matchExpressions.length === 0;
}

function namespaceEntry(selector: LabelSelector, namespace: string): TagEntry {
  return { type: 'namespace', value: namespace, origin: selector.origin };
}

function createTags(store: ConfigStore, entries: Map<string, TagEntry>): string[] {
  return [...entries.values()].map((e) => store.createTag(e.type, e.value, e.origin));
}
