/**
 * rendered/firewall-rules.md: every firewall rule as a reviewer reads it, in the order Contrail
 * evaluates them (the application policy set's sequence, then each policy's rule sequence), in
 * the columns of CN2's documentation (Rule Name, Action, Service, Endpoint1, Direction,
 * Endpoint2), then the tags and address groups. Names and labels come from policies: they are
 * written as code spans (src/text/markdown.ts), which GitHub never turns into links, HTML or
 * mentions, and which stay readable in `git diff`.
 */
import { cmp } from '../diagnostics.js';
import type { AddressGroup, Endpoint, FirewallPolicy, FirewallRule, Service, Snapshot } from '../snapshot/model.js';
import { codeSpan, markdownTable } from '../text/markdown.js';
import { generatedLines } from './header.js';

const RULE_COLUMNS = ['Seq', 'Rule Name', 'Action', 'Service', 'Endpoint1', 'Direction', 'Endpoint2'];

/** `tcp:6379`, `udp:1000-2000`, `tcp:0-65535`, `any` (any protocol: ports do not apply). */
export function serviceText(s: Service): string {
  if (s.protocol === 'any') return 'any';
  const range = (p: { start: number; end: number }) => (p.start === p.end ? `${p.start}` : `${p.start}-${p.end}`);
  return `${s.protocol}:${range(s.dstPorts)}${s.srcPorts ? ` (source ${range(s.srcPorts)})` : ''}`;
}

function endpointCell(e: Endpoint, groups: ReadonlyMap<string, AddressGroup>): string {
  if ('tags' in e) return codeSpan(e.tags.join(' && '));
  if ('addressGroup' in e) {
    const prefixes = groups.get(e.addressGroup)?.prefixes.map((p) => `${p.ip}/${p.len}`) ?? [];
    return `Address Group: ${codeSpan(e.addressGroup)} (${prefixes.map((p) => codeSpan(p)).join(', ')})`;
  }
  return 'any';
}

function ruleRow(seq: string, r: FirewallRule, groups: ReadonlyMap<string, AddressGroup>): string[] {
  return [seq, codeSpan(r.name), r.action, serviceText(r.service), endpointCell(r.endpoint1, groups), codeSpan(r.direction), endpointCell(r.endpoint2, groups)];
}

function policySection(fp: FirewallPolicy, where: string, rules: ReadonlyMap<string, FirewallRule>, groups: ReadonlyMap<string, AddressGroup>): string {
  const from = fp.policy ? ` From NetworkPolicy ${codeSpan(fp.policy)}.` : '';
  const head = `## ${codeSpan(fp.name, false)}\n\n${where}${from}`;
  if (fp.rules.length === 0) return `${head} No rules.`;
  const refs = [...fp.rules].sort((a, b) => cmp(a.sequence, b.sequence) || cmp(a.name, b.name));
  const rows = refs.map((ref) => {
    const r = rules.get(ref.name);
    return r ? ruleRow(ref.sequence, r, groups) : [ref.sequence, codeSpan(ref.name), '(missing)', '', '', '', ''];
  });
  return `${head}\n\n${markdownTable(RULE_COLUMNS, rows)}`;
}

export function renderFirewallRulesMarkdown(s: Snapshot): string {
  const rules = new Map(s.rules.map((r) => [r.name, r]));
  const groups = new Map(s.addressGroups.map((g) => [g.name, g]));
  const policies = new Map(s.policies.map((p) => [p.name, p]));
  const [notice, action] = generatedLines(s);
  const parts: string[] = [
    `# Firewall rules: cluster ${codeSpan(s.cluster, false)}, mode ${codeSpan(s.mode, false)}`,
    `${notice} ${action}`,
    'Contrail evaluates the firewall policies of an application policy set in sequence order, and the rules of each policy in sequence order: the first rule that matches a connection decides. Direction `>`: Endpoint1 opens the connection to Endpoint2.',
  ];

  const seen = new Set<string>();
  for (const aps of [...s.policySets].sort((a, b) => cmp(a.name, b.name))) {
    const refs = [...aps.policies].sort((a, b) => cmp(a.sequence, b.sequence) || cmp(a.name, b.name));
    for (const ref of refs) {
      const fp = policies.get(ref.name);
      if (!fp) continue;
      seen.add(fp.name);
      parts.push(policySection(fp, `Application policy set ${codeSpan(aps.name)}, sequence ${ref.sequence}.`, rules, groups));
    }
  }
  for (const fp of s.policies.filter((p) => !seen.has(p.name)).sort((a, b) => cmp(a.name, b.name))) {
    parts.push(policySection(fp, 'In no application policy set: never evaluated.', rules, groups));
  }

  const referenced = new Set(s.policies.flatMap((p) => p.rules.map((r) => r.name)));
  const orphans = s.rules.filter((r) => !referenced.has(r.name)).sort((a, b) => cmp(a.name, b.name));
  if (orphans.length) {
    parts.push(
      `## Rules in no firewall policy\n\nLeft in Contrail when CN2 failed part-way through a policy; never evaluated.\n\n${markdownTable(
        RULE_COLUMNS,
        orphans.map((r) => ruleRow('-', r, groups)),
      )}`,
    );
  }

  const tags = [...s.tags].sort((a, b) => cmp(a.name, b.name));
  parts.push(`## Tags\n\n${tags.length ? markdownTable(['Key', 'Value'], tags.map((t) => [codeSpan(t.type), codeSpan(t.value)])) : 'None.'}`);
  const ags = [...s.addressGroups].sort((a, b) => cmp(a.name, b.name));
  parts.push(
    `## Address Groups\n\n${
      ags.length
        ? markdownTable(['Name', 'Prefix'], ags.map((g) => [codeSpan(g.name), g.prefixes.map((p) => codeSpan(`${p.ip}/${p.len}`)).join(', ')]))
        : 'None.'
    }`,
  );
  return `${parts.join('\n\n')}\n`;
}
