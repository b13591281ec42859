/**
 * Wording shared by the Markdown and text reports, so both say the same thing in the same words.
 * Everything returned here is plain text; each renderer escapes what came from a policy.
 */
import type { Position } from '../diagnostics.js';
import { formatEndpoint, formatService } from '../diff/format.js';
import type { Decision, DiffSummary, FindingView, FlowChange, FlowEndpoint, MovedRule, RiskKind, RuleField, RuleView } from '../diff/types.js';

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `Plan: 3 to add, 1 to change, 0 to destroy.` (firewall rules), as Terraform says it. */
export function planLine(s: DiffSummary): string {
  return `Plan: ${s.rulesAdded} to add, ${s.rulesChanged} to change, ${s.rulesRemoved} to destroy.`;
}

/** What the plan line leaves out: renames, moves, firewall policies, flows. Empty parts are omitted. */
export function planDetails(s: DiffSummary, flowsEvaluated: boolean): string[] {
  const parts: string[] = [];
  if (s.rulesRenamed) parts.push(`${plural(s.rulesRenamed, 'rule')} renamed, same behaviour`);
  if (s.rulesResequenced) parts.push(`${plural(s.rulesResequenced, 'rule')} re-sequenced, same order`);
  if (s.rulesMoved) parts.push(`${plural(s.rulesMoved, 'rule')} moved`);
  if (s.firewallPoliciesAdded || s.firewallPoliciesRemoved) {
    parts.push(`firewall policies: ${s.firewallPoliciesAdded} added, ${s.firewallPoliciesRemoved} removed`);
  }
  if (flowsEvaluated) parts.push(`flows: ${s.flowsOpened} opened, ${s.flowsClosed} closed`);
  return parts;
}

/** The headline: the plan line, then what it leaves out, as one sentence. */
export function headline(s: DiffSummary, flowsEvaluated: boolean): { plan: string; details: string } {
  const parts = planDetails(s, flowsEvaluated);
  const details = parts.join('; ');
  return { plan: planLine(s), details: details ? `${details.charAt(0).toUpperCase()}${details.slice(1)}.` : '' };
}

export const RISK_TITLES: Record<RiskKind, string> = {
  'pass-from-anywhere': 'pass from anywhere',
  'egress-outside-cluster': 'egress outside the cluster',
  'deny-removed': 'deny removed',
  'selector-widened': 'selector widened',
};

export const FIELD_TITLES: Record<RuleField, string> = {
  name: 'Rule Name',
  action: 'Action',
  service: 'Service',
  endpoint1: 'Endpoint1',
  direction: 'Direction',
  endpoint2: 'Endpoint2',
};

/** The seed's Table 3 columns, in order. */
export const RULE_COLUMNS: readonly RuleField[] = ['name', 'action', 'service', 'endpoint1', 'direction', 'endpoint2'];

export function fieldText(r: RuleView, f: RuleField): string {
  switch (f) {
    case 'name':
      return r.name;
    case 'action':
      return r.action;
    case 'service':
      return formatService(r.service);
    case 'endpoint1':
      return formatEndpoint(r.endpoint1);
    case 'direction':
      return r.direction;
    case 'endpoint2':
      return formatEndpoint(r.endpoint2);
  }
}

export const positionText = (p: Position): string => (p.line > 0 ? `${p.file}:${p.line}` : p.file);

/**
 * Where a flow change comes from, `policy file:line`: the rule that now decides it or, when none does
 * (a closed flow falling to the default deny), the pass rule of the base that was removed; undefined
 * when neither comes from a file.
 */
export function flowSourceText(f: FlowChange): string | undefined {
  const trace = f.head.origin ? f.head : f.base.origin ? f.base : f.head;
  return trace.origin ? `${trace.policy ? `${trace.policy} ` : ''}${positionText(trace.origin)}` : undefined;
}

/** `name (place 2 -> 3), ...`, each name through the renderer's `escape`. */
export function movesText(moved: readonly MovedRule[], escape: (text: string) => string): string {
  return moved.map((m) => `${escape(m.name)} (place ${m.fromIndex + 1} -> ${m.toIndex + 1})`).join(', ');
}

export const divergenceText = (d: FindingView): string => `${positionText(d.origin)}: ${d.severity}: ${d.policy}: ${d.message}`;

export function flowEndpointText(e: FlowEndpoint): string {
  return e.kind === 'pods' ? `${e.namespace}/${e.group}` : e.cidr;
}

/** `rule X (firewall policy Y, at the receiver)`, or what applied when no rule matched. */
export function decisionText(d: Decision): string {
  if (!d.rule) return d.default ?? (d.allowed ? 'allowed (no rule matched)' : 'denied (no rule matched)');
  const at = d.at ? `, at the ${d.at}` : '';
  return d.firewallPolicy ? `${d.rule} (${d.firewallPolicy}${at})` : `${d.rule}${at ? ` (${at.slice(2)})` : ''}`;
}

export const verdict = (allowed: boolean): string => (allowed ? 'allowed' : 'denied');

/** How the Kubernetes verdict moved: `denied -> allowed`, or `allowed (unchanged)`. */
export function kubernetesText(k: { base: boolean; head: boolean }): string {
  return k.base === k.head ? `${verdict(k.head)} (unchanged)` : `${verdict(k.base)} -> ${verdict(k.head)}`;
}

export function orderVerdict(changes: boolean | null): string {
  return changes === null ? 'not simulated' : changes ? 'changes which flows pass' : 'no flow changes (first match gives the same verdicts)';
}
