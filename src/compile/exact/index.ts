/**
 * Mode `exact`: a Contrail snapshot whose enforcement is exactly what the Kubernetes
 * NetworkPolicies say (mapping.md, "Mode exact"), with the tag convention and the evaluation model
 * of snapshot.md. The construction and the argument for its correctness are in construct.ts;
 * what tags cannot express is a compile error (no snapshot), never a silent widening or narrowing.
 *
 * Objects: one application policy set `<cluster>`, bound to `application=<cluster>` and to every
 * known `namespace=<ns>` tag (a pod label `application` replaces the cluster's tag and would
 * otherwise unbind the pod), holding seven firewall policies, one per step of the construction.
 */
import { cmp, sortDiagnostics } from '../../diagnostics.js';
import type { PolicySet } from '../../model/policy.js';
import { at } from '../../model/source.js';
import type {
  AddressGroup,
  ApplicationPolicySet,
  Endpoint,
  FirewallPolicy,
  FirewallRule,
  Snapshot,
  Tag,
} from '../../snapshot/model.js';
import { sequenceString } from '../../snapshot/model.js';
import type { Lowering, LoweringOptions, LoweringResult } from '../lowering.js';
import { construct, type DraftRule, type Section, SECTIONS, type Selection } from './construct.js';
import { type Block, type Grant, type Party, policyGrants } from './grants.js';
import { safeName, shortHash } from './names.js';
import { cidrListText, snapshotPrefixes } from './prefixes.js';
import { Reporter } from './report.js';
import { selectionTerms } from './selectors.js';
import { snapshotService } from './services.js';
import { dropRedundantDenies, dropShadowed, ruleContentKey } from './simplify.js';
import { Term } from './terms.js';
import { podLabelsPath, tagType, Universe } from './universe.js';

export const exactLowering: Lowering = {
  mode: 'exact',
  lower(input: PolicySet, options: LoweringOptions): LoweringResult {
    return lowerExact(input, options);
  },
};

/** The firewall policy of each section: `<cluster>-exact-<section>`. */
export const sectionPolicyName = (cluster: string, s: Section): string => `${cluster}-exact-${s}`;

export function lowerExact(input: PolicySet, options: LoweringOptions): LoweringResult {
  const universe = new Universe(input, options);
  const reporter = new Reporter();
  checkNamespaceLabels(input, reporter);
  const policies = [...input.policies].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
  const selections: Selection[] = [];
  const grants: Grant[] = [];
  for (const policy of policies) {
    const ctx = { universe, reporter, inventoryComplete: options.inventoryComplete, policy };
    const terms = selectionTerms(ctx);
    // After an error in the selection, the rules are still checked (against the whole namespace)
    // so that one run reports every error.
    const checked = policyGrants(terms ?? [Term.of([['namespace', policy.namespace]])!], ctx);
    if (!terms) continue;
    selections.push({ policy, terms });
    grants.push(...checked);
  }
  if (reporter.errors.length > 0) return { diagnostics: sortDiagnostics(reporter.errors) };

  const drafts = dropRedundantDenies(dropShadowed(construct({ grants, selections, universe, reporter })));
  return { snapshot: assemble(drafts, universe, reporter, options), diagnostics: [] };
}

function assemble(drafts: readonly DraftRule[], universe: Universe, reporter: Reporter, options: LoweringOptions): Snapshot {
  const { cluster } = options;

  // Address groups by name; two contents under one name (possible only through `:` -> `.`) get a hash.
  const groups = new Map<string, AddressGroup>();
  const contentOf = new Map<string, string>();
  const groupName = (b: Block): string => {
    const content = cidrListText(b.cidrs);
    const had = contentOf.get(b.name);
    const name = had === undefined || had === content ? b.name : `${b.name}-${shortHash(content)}`;
    if (!contentOf.has(name)) {
      contentOf.set(name, content);
      groups.set(name, { name, prefixes: snapshotPrefixes(b.cidrs) });
    }
    return name;
  };
  const tags = new Set<string>([`application=${cluster}`]);
  const everyPod = universe.everyPodTerms();
  /** A party's endpoints: one, except every pod, which is one per `application` tag pods carry (named after it). */
  const endpoints = (p: Party): { endpoint: Endpoint; label?: string }[] => {
    if (p.kind === 'any') return [{ endpoint: { any: true } }];
    if (p.kind === 'block') return [{ endpoint: { addressGroup: groupName(p.block) } }];
    const terms = p.term.size === 0 ? everyPod : [p.term];
    return terms.map((t) => {
      const names = t.tagNames();
      for (const n of names) tags.add(n);
      const app = p.term.size === 0 ? t.get('application') : undefined;
      return { endpoint: { tags: names }, ...(app !== undefined && app !== cluster ? { label: `application.${app}` } : {}) };
    });
  };

  const expanded = drafts.flatMap((d) =>
    endpoints(d.src).flatMap((s) =>
      endpoints(d.dst).map((t) => ({
        draft: d,
        name: safeName([d.name, ...(s.label ? [`from-${s.label}`] : []), ...(t.label ? [`to-${t.label}`] : [])].join('-')),
        endpoint1: s.endpoint,
        endpoint2: t.endpoint,
      })),
    ),
  );
  // Names: a name that several rules would share gets a short hash of the content on each of them.
  const nameCount = new Map<string, number>();
  for (const e of expanded) nameCount.set(e.name, (nameCount.get(e.name) ?? 0) + 1);
  const rules: FirewallRule[] = [];
  const bySection = new Map<Section, FirewallRule[]>(SECTIONS.map((s) => [s, []]));
  for (const { draft: d, name: base, endpoint1, endpoint2 } of expanded) {
    const content = [ruleContentKey(d), JSON.stringify(endpoint1), JSON.stringify(endpoint2)].join('\u0001');
    const name = nameCount.get(base)! > 1 ? `${base}-${shortHash(content)}` : base;
    const rule: FirewallRule = {
      name,
      action: d.action,
      service: snapshotService(d.service),
      endpoint1,
      endpoint2,
      direction: '>',
      ...(d.source ? { source: d.source } : {}),
    };
    rules.push(rule);
    bySection.get(d.section)!.push(rule);
  }

  const firewallPolicies: FirewallPolicy[] = SECTIONS.map((s) => ({
    name: sectionPolicyName(cluster, s),
    // Rules of one section are unordered among themselves: by name, so a new rule moves no other.
    rules: bySection
      .get(s)!
      .map((r) => r.name)
      .sort(cmp)
      .map((name, i) => ({ name, sequence: sequenceString(i) })),
  }));
  const namespaceTags = [...universe.namespaces.keys()].map((ns) => `namespace=${ns}`);
  for (const t of namespaceTags) tags.add(t);
  const policySet: ApplicationPolicySet = {
    name: cluster,
    tags: [`application=${cluster}`, ...namespaceTags],
    policies: SECTIONS.map((s, i) => ({ name: sectionPolicyName(cluster, s), sequence: sequenceString(i + 1) })),
  };

  const byName = <T extends { name: string }>(items: Iterable<T>): T[] => [...items].sort((a, b) => cmp(a.name, b.name));
  return {
    mode: 'exact',
    cluster,
    generator: options.generator,
    tags: byName([...tags].map(tagObject)),
    addressGroups: byName(groups.values()),
    rules: byName(rules),
    policies: byName(firewallPolicies),
    policySets: [policySet],
    findings: [...reporter.findings].sort(
      (a, b) => cmp(a.policy, b.policy) || cmp(a.origin.doc.file, b.origin.doc.file) || cmp(a.kind, b.kind) || cmp(a.message, b.message),
    ),
  };
}

/**
 * A label whose tag type is `namespace` replaces the `namespace=<ns>` tag that places a pod in its
 * namespace (on the pod, or on every pod of a namespace): no rule could select those pods by
 * namespace any more.
 */
function checkNamespaceLabels(input: PolicySet, reporter: Reporter): void {
  const explain = (what: string, key: string) =>
    `${what} has the label "${key}", which becomes the tag namespace=<value> in Contrail and replaces the tag namespace=<its namespace> that mode exact selects pods by; rename the label`;
  for (const ns of input.namespaces) {
    for (const [key] of ns.labels) {
      if (tagType(key) === 'namespace') reporter.errorAt(at(ns.origin, 'metadata', 'labels', key), explain(`Namespace ${ns.name}`, key));
    }
  }
  for (const w of input.workloads) {
    for (const [key] of w.labels) {
      if (tagType(key) !== 'namespace') continue;
      reporter.errorAt(at(w.origin, ...podLabelsPath(w.kind), key), explain(`${w.kind} ${w.namespace}/${w.name}`, key));
    }
  }
}

function tagObject(name: string): Tag {
  const eq = name.indexOf('=');
  return { name, type: name.slice(0, eq), value: name.slice(eq + 1) };
}
