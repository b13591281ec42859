/**
 * The tags a workload carries in Contrail (snapshot.md, "How workloads carry tags"): the one
 * convention that the compilers write rules against and the Contrail evaluator matches with.
 *
 * Contrail holds at most one tag of a type on an object, so the result is a map from tag type to
 * value, built in precedence order: `namespace=<ns>` and `application=<cluster>` (inherited from the
 * project), then the pod's labels (set on the pod's interface, they replace an inherited tag of the
 * same type: a pod label `application` unbinds the cluster's policy set), then the namespace's
 * labels, which kube-manager merges over the pod's and so win.
 */

import { cmp } from '../diagnostics.js';

export type Labels = readonly (readonly [string, string])[];

/** `/` in a key or value is not allowed in a Contrail tag name; kube-manager writes `__slash__`. */
export function tagText(text: string): string {
  return text.split('/').join('__slash__');
}

/** The tag name `type=value` for a label, as Contrail stores it (type lower-cased). */
export function labelTag(key: string, value: string): string {
  return `${tagText(key).toLowerCase()}=${tagText(value)}`;
}

/** Tag type -> value for a workload; iteration order is the precedence order described above. */
export function workloadTagMap(cluster: string, namespace: string, namespaceLabels: Labels, podLabels: Labels): Map<string, string> {
  const tags = new Map<string, string>();
  const put = (key: string, value: string) => {
    const type = tagText(key).toLowerCase();
    tags.delete(type);
    tags.set(type, tagText(value));
  };
  put('namespace', namespace);
  put('application', cluster);
  for (const [k, v] of podLabels) put(k, v);
  for (const [k, v] of namespaceLabels) put(k, v);
  return tags;
}

/** The workload's tag names (`type=value`), sorted byte-wise. */
export function workloadTags(cluster: string, namespace: string, namespaceLabels: Labels, podLabels: Labels): string[] {
  return [...workloadTagMap(cluster, namespace, namespaceLabels, podLabels)]
    .map(([t, v]) => `${t}=${v}`)
    .sort(cmp);
}
