/**
 * What CN2 does differently from what a NetworkPolicy says, one message builder per cause. Each
 * message says what CN2 will do, in the reviewer's terms (which traffic is allowed or denied), so
 * the report can show it as is. `kind` ids are stable: tooling and tests key on them.
 */
import type { LabelRequirement } from '../../model/policy.js';
import type { Origin } from '../../model/source.js';
import type { Finding, Service } from '../../snapshot/model.js';
import type { SelectorReading, TagEntry } from './selectors.js';
import { podTagName } from './selectors.js';
import type { ConfigApiRejection } from './store.js';

export type FindingKind =
  | 'named-port'
  | 'ipv6-ipblock'
  | 'uppercase-label-key'
  | 'match-expressions'
  | 'top-level-match-expressions-ignored'
  | 'namespace-selector-notin'
  | 'empty-namespace-selector-dropped'
  | 'empty-pod-selector-own-namespace'
  | 'end-port-ignored'
  | 'except-deny-shadowing'
  | 'egress-name-collision'
  | 'rule-name-collision'
  | 'policy-name-collision'
  | 'slash-label-unescaped';

export interface FindingDraft {
  readonly kind: FindingKind;
  readonly origin: Origin;
  readonly message: string;
}

export function toFinding(policy: string, d: FindingDraft): Finding {
  return { kind: d.kind, severity: 'warning', policy, origin: d.origin, message: d.message };
}

const NOT_ENFORCED = 'the whole policy is not enforced';

/** The config API refused an object: nothing of the policy is enforced; say what it leaves behind. */
export function rejected(r: ConfigApiRejection, leftovers: { denyAll: number; rules: number }): FindingDraft {
  const left = leftoverText(leftovers);
  switch (r.kind) {
    case 'named-port':
      return { kind: r.kind, origin: r.origin, message: `named port "${r.value}": CN2's config API rejects the rule; ${NOT_ENFORCED}${left}` };
    case 'ipv6-ipblock':
      return {
        kind: r.kind,
        origin: r.origin,
        message: `ipBlock "${r.value}": CN2 names the address group after the CIDR and its config API rejects ':' in a name; ${NOT_ENFORCED}${left}`,
      };
    case 'uppercase-label-key':
      return {
        kind: r.kind,
        origin: r.origin,
        message: `label key "${r.value}": CN2's config API lower-cases tag types, so the tag "${r.objectName}" cannot be created; ${NOT_ENFORCED}${left}`,
      };
  }
}

function leftoverText({ denyAll, rules }: { denyAll: number; rules: number }): string {
  const parts: string[] = [];
  if (denyAll) parts.push(`its deny-all rule${denyAll > 1 ? 's' : ''}`);
  if (rules) parts.push(`${rules} rule${rules > 1 ? 's' : ''} created before the failure`);
  if (!parts.length) return '';
  const plural = parts.length > 1 || denyAll > 1 || rules > 1;
  return ` (${parts.join(' and ')} ${plural ? 'stay' : 'stays'} unreferenced)`;
}

export function topLevelExpressionsIgnored(origin: Origin, tags: readonly string[]): FindingDraft {
  return {
    kind: 'top-level-match-expressions-ignored',
    origin,
    message: `spec.podSelector.matchExpressions are ignored by CN2: the policy applies to every pod with ${tags.join(' && ')}`,
  };
}

/** In/NotIn keep their last value, Exists/DoesNotExist and matchLabels next to expressions are dropped. */
export function expressionsRewritten(origin: Origin, reading: SelectorReading, side: Side): FindingDraft | undefined {
  const parts: string[] = [];
  for (const r of reading.truncated) {
    if (r.operator === 'In') parts.push(`${r.key} In [${r.values.join(', ')}] keeps only ${r.key}=${last(r)}`);
  }
  for (const r of reading.notIn) {
    parts.push(`${r.key} NotIn [${r.values.join(', ')}] becomes ${r.key}=${last(r)}, the excluded value`);
  }
  for (const r of reading.dropped) parts.push(`${r.key} ${r.operator} is dropped`);
  if (reading.droppedLabels) parts.push('matchLabels are replaced by the expressions');
  if (!parts.length) return undefined;
  return {
    kind: 'match-expressions',
    origin,
    message: `CN2 does not read matchExpressions as Kubernetes does (${parts.join('; ')}): it matches ${endpointText(reading.tags, side)}`,
  };
}

export function namespaceNotIn(origin: Origin, req: LabelRequirement, denied: string, side: Side): FindingDraft {
  const others = req.values.slice(0, -1);
  const notExcluded = others.length ? ` (namespaces labelled ${others.map((v) => `${req.key}=${v}`).join(' or ')} are not excluded)` : '';
  return {
    kind: 'namespace-selector-notin',
    origin,
    message: `namespaceSelector ${req.key} NotIn [${req.values.join(', ')}]: CN2 writes a deny rule for ${denied} only, then passes ${anyText(side)} on the same ports${notExcluded}`,
  };
}

export type EmptyNamespaceCase = 'dropped' | 'allow-all' | 'own-namespace';

export function emptyNamespaceSelector(origin: Origin, c: EmptyNamespaceCase, namespace: string, side: Side): FindingDraft {
  const message = {
    dropped: `namespaceSelector: {} (every pod in every namespace) is dropped by CN2 because the rule has other peers: only those are allowed`,
    'allow-all': `namespaceSelector: {} (every pod in every namespace) gives CN2 no endpoint, so the rule allows ${anyText(side)}`,
    'own-namespace': `{namespaceSelector: {}, podSelector: {}} means every pod in every namespace, but CN2 writes namespace=${namespace}: only pods of namespace ${namespace} are allowed`,
  }[c];
  return { kind: 'empty-namespace-selector-dropped', origin, message };
}

export function emptyPodSelectorOwnNamespace(origin: Origin, namespace: string, tags: readonly string[]): FindingDraft {
  return {
    kind: 'empty-pod-selector-own-namespace',
    origin,
    message: `podSelector: {} next to a namespaceSelector means every pod of the selected namespaces, but CN2 adds namespace=${namespace}: only pods with ${tags.join(' && ')} match`,
  };
}

export function endPortIgnored(origin: Origin, port: number, endPort: number): FindingDraft {
  return { kind: 'end-port-ignored', origin, message: `endPort ${endPort} is ignored by CN2: only port ${port} is allowed, not ${port}-${endPort}` };
}

export function exceptBecomesDeny(origin: Origin, cidr: string, ruleName: string, side: Side): FindingDraft {
  return {
    kind: 'except-deny-shadowing',
    origin,
    message: `except ${cidr} becomes the deny rule ${ruleName}: ${side === 'ingress' ? 'traffic from' : 'traffic to'} ${cidr} on these ports is denied before any later peer, rule or policy can allow it`,
  };
}

export function egressNameCollision(origin: Origin, name: string, laterField: string, service: Service): FindingDraft {
  return {
    kind: 'egress-name-collision',
    origin,
    message: `CN2 names this rule "${name}" (egress rule names carry no rule index) and ${laterField} produces the same name: CN2 keeps only the later rule, so ${serviceText(service)} to this peer is not allowed`,
  };
}

export function ruleNameCollision(origin: Origin, name: string, laterPolicy: string): FindingDraft {
  return {
    kind: 'rule-name-collision',
    origin,
    message: `CN2 names this rule "${name}" and NetworkPolicy ${laterPolicy} writes a rule with the same name later: CN2 keeps only that one`,
  };
}

export function policyNameCollision(origin: Origin, fpName: string, other: string, role: 'replaces' | 'replaced' | 'identical'): FindingDraft {
  const message = {
    replaces: `CN2 names this policy's firewall policy "${fpName}", as it names NetworkPolicy ${other}'s: CN2 replaces ${other}'s rules with this policy's, so the pods ${other} selects stay isolated by its deny-all rules but lose every allow rule`,
    replaced: `CN2 names this policy's firewall policy "${fpName}", as it names NetworkPolicy ${other}'s: CN2 replaces this policy's rules with those of ${other}, so its pods stay isolated by its deny-all rules but lose every allow rule`,
    identical: `CN2 names this policy's firewall policy "${fpName}", as it names NetworkPolicy ${other}'s, and the specs are identical: CN2 keeps that firewall policy and creates nothing for this one, so this policy is not enforced`,
  }[role];
  return { kind: 'policy-name-collision', origin, message };
}

export function slashUnescaped(entry: TagEntry, where: 'policy' | 'peer'): FindingDraft {
  return {
    kind: 'slash-label-unescaped',
    origin: entry.origin,
    message: `CN2 writes the tag "${entry.type}=${entry.value}" with its '/', but pods carry "${podTagName(entry)}": ${
      where === 'policy' ? 'this policy selects no pod and is not enforced' : 'this peer matches no pod'
    }`,
  };
}

export type Side = 'ingress' | 'egress';

function anyText(side: Side): string {
  return side === 'ingress'
    ? 'traffic from any source (every pod and every address outside the cluster)'
    : 'traffic to any destination (every pod and every address outside the cluster)';
}

function endpointText(tags: readonly string[], side: Side): string {
  return tags.length ? tags.join(' && ') : side === 'ingress' ? 'any source' : 'any destination';
}

function serviceText(s: Service): string {
  const { start, end } = s.dstPorts;
  if (s.protocol === 'any') return 'any traffic';
  return start === 0 && end === 65535 ? `${s.protocol} on every port` : `${s.protocol}:${start}${end !== start ? `-${end}` : ''}`;
}

function last(r: LabelRequirement): string {
  return r.values[r.values.length - 1];
}
