/**
 * The Markdown report: the pull-request comment (and, with --full, the job summary). Every text
 * that comes from a policy, a file name or a git ref goes through escapeMarkdown, so that it cannot
 * break a table, open HTML, start a link or mention anyone. The report can be drawn at four levels
 * of detail; index.ts picks the most detailed one that fits the size budget.
 */
import { formatDiagnostic } from '../diagnostics.js';
import type { DiffReport, FirewallPolicyDiff, FlowChange, RuleChange, RuleView } from '../diff/types.js';
import { escapeMarkdown as esc, markdownTable } from '../text/markdown.js';
import { mermaidFlowchart, MERMAID_MAX_EDGES } from './mermaid.js';
import {
  decisionText,
  divergenceText,
  FIELD_TITLES,
  fieldText,
  flowEndpointText,
  flowSourceText,
  kubernetesText,
  movesText,
  orderVerdict,
  headline,
  plural,
  positionText,
  RISK_TITLES,
  RULE_COLUMNS,
} from './words.js';

/** First line of every report comment: the GitHub layer finds its own comment by it. */
export const REPORT_MARKER = '<!-- contrail-gitops:report -->';

/**
 * Levels of detail, most detailed first: everything; without the unified diff; rule tables and
 * lists reduced to counts; headline and risk flags only.
 */
export type Detail = 'full' | 'no-patch' | 'counts' | 'headline';
export const DETAILS: readonly Detail[] = ['full', 'no-patch', 'counts', 'headline'];

export interface MarkdownOptions {
  readonly detail: Detail;
  /** Risk flags to show at most (the rest are counted); Infinity for all. */
  readonly maxRisks?: number;
  /** Set when something was cut: says what, and where the whole report is. */
  readonly cutNote?: string;
}

/** Items listed before "and N more" in the lists of the reduced levels. */
const REDUCED_LIST = 20;

/**
 * A lower bound of the report's size at `detail`, in bytes, without drawing it: the table rows it
 * must hold (one per rule change and per flow edge at the detailed levels), each at least `| |`
 * and a newline. A level whose bound is over the budget cannot fit, so it is not drawn (at 10,000
 * policies a change can move 100,000 edges: drawing them to find that out took seconds).
 */
export function minimumMarkdownBytes(r: DiffReport, detail: Detail): number {
  if (detail !== 'full' && detail !== 'no-patch') return 0;
  const c = r.connectivity;
  const flowRows = c.evaluated ? c.opened.length + c.closed.length + c.notEnforced.length : 0;
  const ruleRows = [...r.firewallPolicies, ...(r.unreferencedRules ? [r.unreferencedRules] : [])].reduce((n, fp) => n + fp.rules.length, 0);
  return (flowRows + ruleRows) * MIN_ROW_BYTES;
}

/** `| a | b |` at its shortest with empty cells: every table row here has two or more cells. */
const MIN_ROW_BYTES = '| | |\n'.length;

export function renderMarkdown(r: DiffReport, o: MarkdownOptions): string {
  if (r.summary.noChange) {
    return `${REPORT_MARKER}\nNo change to the Contrail firewall configuration between ${esc(r.base.label)} and ${esc(r.head.label)}.\n`;
  }
  const out: string[] = [REPORT_MARKER, '## Contrail firewall changes', ''];
  out.push(
    `${esc(r.head.label)} compared with ${esc(r.base.label)} (mode ${esc(r.mode)}, cluster ${esc(r.cluster)}, both compiled by the same compiler and configuration).`,
    '',
  );
  const { plan, details } = headline(r.summary, r.connectivity.evaluated);
  out.push(`**${plan}**${details ? ` ${details}` : ''}`, '');
  if (o.cutNote) out.push(`> [!NOTE]\n> ${o.cutNote}`, '');
  for (const problem of r.problems) out.push(`> [!WARNING]\n> ${esc(problem)}`, '');

  out.push(...risksSection(r, o.maxRisks ?? Infinity));
  if (o.detail === 'headline') return finish(out);

  const counts = o.detail === 'counts';
  out.push(...headDiagnosticsSection(r, counts));
  out.push(...rulesSection(r, counts));
  out.push(...objectsSection(r, counts));
  out.push(...connectivitySection(r, counts));
  out.push(...divergencesSection(r, counts));
  out.push(...staleSection(r));
  if (o.detail === 'full') out.push(...patchSection(r));
  return finish(out);
}

function finish(lines: string[]): string {
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return `${lines.join('\n')}\n`;
}

function risksSection(r: DiffReport, max: number): string[] {
  if (!r.risks.length) return [];
  const shown = r.risks.slice(0, max);
  const lines = shown.map((k) => {
    const where = k.origin ? ` (${esc(positionText(k.origin))})` : '';
    return `- **${RISK_TITLES[k.kind]}**: ${esc(k.message)}${where}`;
  });
  if (shown.length < r.risks.length) lines.push(`- … and ${plural(r.risks.length - shown.length, 'more risk flag')} (see the whole report)`);
  return [`### Risks (${r.risks.length})`, '', ...lines, ''];
}

function headDiagnosticsSection(r: DiffReport, reduced: boolean): string[] {
  const errors = r.headDiagnostics.filter((d) => d.severity === 'error');
  const others = r.headDiagnostics.length - errors.length;
  if (!r.headDiagnostics.length) return [];
  const list = reduced ? errors.slice(0, REDUCED_LIST) : errors;
  const lines = [`### Policy errors in ${esc(r.head.label)} (${errors.length})`, ''];
  if (errors.length) {
    lines.push(...list.map((d) => `- ${esc(formatDiagnostic(d))}`));
    if (list.length < errors.length) lines.push(`- … and ${plural(errors.length - list.length, 'more error')}`);
  } else {
    lines.push('None.');
  }
  if (others) lines.push('', `${plural(others, 'warning')}: run \`contrail-gitops validate\` to see them.`);
  return [...lines, ''];
}

function rulesSection(r: DiffReport, counts: boolean): string[] {
  const fps = [...r.firewallPolicies, ...(r.unreferencedRules ? [r.unreferencedRules] : [])];
  if (!fps.length) return [];
  const lines = ['### Firewall rules', ''];
  if (counts) {
    const rows = fps.map((fp) => {
      const n = (k: RuleChange['kind']) => String(fp.rules.filter((c) => c.kind === k).length);
      return [esc(fp.name), fp.status, n('added'), n('changed'), n('removed'), String(fp.renamed.length), String(fp.moved.length)];
    });
    lines.push(markdownTable(['Firewall policy', 'Status', 'Added', 'Changed', 'Removed', 'Renamed', 'Moved'], rows), '');
    return lines;
  }
  for (const fp of fps) lines.push(...firewallPolicyBlock(fp));
  return lines;
}

function firewallPolicyBlock(fp: FirewallPolicyDiff): string[] {
  const owner = fp.policy ? ` (NetworkPolicy ${esc(fp.policy)})` : '';
  const lines = [`#### ${esc(fp.name)}: ${fp.status}${owner}`, ''];
  if (fp.rules.length) {
    const header = ['Change', ...RULE_COLUMNS.map((c) => FIELD_TITLES[c]), 'From'];
    lines.push(markdownTable(header, fp.rules.map(ruleRow)), '');
  }
  if (fp.renamed.length) {
    lines.push(
      `<details><summary>${plural(fp.renamed.length, 'rule')} renamed, same behaviour</summary>`,
      '',
      markdownTable(
        ['Old name', 'New name'],
        fp.renamed.map((x) => [esc(x.base), esc(x.head)]),
      ),
      '',
      '</details>',
      '',
    );
  }
  if (fp.resequenced) lines.push(`${plural(fp.resequenced, 'rule')} re-sequenced (same name, same order, same behaviour).`, '');
  if (fp.moved.length) {
    lines.push(`Order changed: ${movesText(fp.moved, esc)}. Effect: ${orderVerdict(fp.orderChangesBehaviour)}.`, '');
  }
  return lines;
}

function ruleRow(c: RuleChange): string[] {
  const view: RuleView = c.kind === 'removed' ? c.base : c.head;
  const cells = RULE_COLUMNS.map((f) => {
    if (c.kind === 'changed' && c.fields.includes(f)) return `${esc(fieldText(c.base, f))} -> ${esc(fieldText(c.head, f))}`;
    return esc(fieldText(view, f));
  });
  const from = view.origin ? esc(positionText(view.origin)) : '';
  return [c.kind, ...cells, from];
}

function objectsSection(r: DiffReport, counts: boolean): string[] {
  const lines: string[] = [];
  const list = (title: string, items: readonly string[]) => {
    if (!items.length) return;
    if (counts) lines.push(`- ${title}: ${items.length}`);
    else lines.push(`- ${title}: ${items.map(esc).join(', ')}`);
  };
  list('Tags added', r.tags.added);
  list('Tags removed', r.tags.removed);
  list(
    'Address groups added',
    r.addressGroups.added.map((g) => `${g.name} (${g.prefixes.join(', ')})`),
  );
  list(
    'Address groups removed',
    r.addressGroups.removed.map((g) => `${g.name} (${g.prefixes.join(', ')})`),
  );
  if (counts && r.addressGroups.changed.length) lines.push(`- Address groups changed: ${r.addressGroups.changed.length}`);
  else {
    for (const g of r.addressGroups.changed) {
      const parts = [...g.prefixesAdded.map((p) => `+ ${esc(p)}`), ...g.prefixesRemoved.map((p) => `- ${esc(p)}`)];
      lines.push(`- Address group ${esc(g.name)}: ${parts.join(', ')}`);
    }
  }
  for (const s of r.policySets) {
    if (s.status !== 'changed') {
      lines.push(`- Application policy set ${esc(s.name)} ${s.status}`);
      continue;
    }
    if (!s.moved.length) continue;
    lines.push(`- Firewall policy order in ${esc(s.name)} changed: ${movesText(s.moved, esc)}. Effect: ${orderVerdict(s.orderChangesBehaviour)}.`);
  }
  return lines.length ? ['### Tags, address groups, policy order', '', ...lines, ''] : [];
}

function connectivitySection(r: DiffReport, counts: boolean): string[] {
  const c = r.connectivity;
  if (!c.evaluated) return ['### Connectivity', '', `Not simulated: ${esc(c.reason ?? 'no simulation')}.`, ''];
  const lines = ['### Connectivity', ''];
  const pods = c.synthesized ? `pods made up from the selectors of ${esc(r.head.label)} (it declares no workloads)` : `the workloads of ${esc(r.head.label)}`;
  const scope = `${plural(c.probes, 'probe')} over ${pods}, evaluated as Contrail does on both snapshots`;
  if (!c.opened.length && !c.closed.length && !c.notEnforced.length) {
    return [...lines, `No flow changes (${scope}).`, ''];
  }
  lines.push(`${plural(c.opened.length, 'edge')} opened, ${plural(c.closed.length, 'edge')} closed (${scope}).`, '');
  if (counts) {
    if (c.notEnforced.length) lines.push(`${plural(c.notEnforced.length, 'edge')} where Kubernetes' verdict changes but CN2's does not.`, '');
    return lines;
  }
  const rows = [
    ...c.opened.map((f) => flowRow('opened', f)),
    ...c.closed.map((f) => flowRow('closed', f)),
  ];
  if (rows.length) {
    lines.push(markdownTable(['Flow', 'From', 'To', 'Ports', 'Decided by', 'NetworkPolicy', 'Kubernetes'], rows), '');
  }
  if (c.opened.length + c.closed.length > 0 && c.opened.length + c.closed.length <= MERMAID_MAX_EDGES) {
    lines.push(mermaidFlowchart(c.opened, c.closed), '');
  }
  if (c.notEnforced.length) {
    lines.push(
      `Kubernetes' verdict changes but CN2's does not (${plural(c.notEnforced.length, 'edge')}): the policy says one thing, the cluster will do another.`,
      '',
      markdownTable(
        ['From', 'To', 'Ports', 'Kubernetes', 'CN2', 'Decided by'],
        c.notEnforced.map((f) => [
          esc(flowEndpointText(f.from)),
          esc(flowEndpointText(f.to)),
          esc(f.ports.join(', ')),
          kubernetesText(f.kubernetes),
          f.head.allowed ? 'allowed' : 'denied',
          esc(decisionText(f.head)),
        ]),
      ),
      '',
    );
  }
  return lines;
}

function flowRow(change: string, f: FlowChange): string[] {
  const source = flowSourceText(f);
  return [
    change,
    esc(flowEndpointText(f.from)),
    esc(flowEndpointText(f.to)),
    esc(f.ports.join(', ')),
    esc(decisionText(f.head)),
    source !== undefined ? esc(source) : '',
    kubernetesText(f.kubernetes),
  ];
}

function divergencesSection(r: DiffReport, counts: boolean): string[] {
  if (!r.divergences.length) return [];
  const shown = counts ? r.divergences.slice(0, REDUCED_LIST) : r.divergences;
  const lines = shown.map((d) => `- ${esc(divergenceText(d))} (${esc(d.kind)})`);
  if (shown.length < r.divergences.length) lines.push(`- … and ${plural(r.divergences.length - shown.length, 'more')}`);
  return [`### CN2 divergences introduced (${r.divergences.length})`, '', 'What CN2 will enforce differently from what the NetworkPolicies say:', '', ...lines, ''];
}

function staleSection(r: DiffReport): string[] {
  const s = r.staleArtifacts;
  if (!s) return [];
  const parts = [
    s.changed.length ? `${plural(s.changed.length, 'file')} differ` : '',
    s.missing.length ? `${plural(s.missing.length, 'file')} missing` : '',
    s.extra.length ? `${plural(s.extra.length, 'file')} extra` : '',
  ].filter(Boolean);
  const files = [...s.changed, ...s.missing, ...s.extra].slice(0, REDUCED_LIST).map((f) => esc(`${s.dir}/${f}`));
  return [
    '### Stale rendered files on the base',
    '',
    `The committed ${esc(s.dir)}/ of ${esc(r.base.label)} is not what the current compiler renders from its policies (${parts.join(', ')}: ${files.join(', ')}${files.length < s.changed.length + s.missing.length + s.extra.length ? ', …' : ''}). This report compares fresh renders of both sides.`,
    '',
  ];
}

function patchSection(r: DiffReport): string[] {
  if (!r.renderedDiff) return [];
  if (r.renderedDiff.patch === null) {
    return [`The unified diff of ${esc(r.renderedDiff.file)} is left out: ${esc(r.renderedDiff.omitted ?? 'too large')}.`, ''];
  }
  const fence = codeFence(r.renderedDiff.patch);
  return [
    `<details><summary>Unified diff of ${esc(r.renderedDiff.file)}</summary>`,
    '',
    `${fence}diff`,
    r.renderedDiff.patch.replace(/\n$/, ''),
    fence,
    '',
    '</details>',
    '',
  ];
}

/** A backtick fence longer than any run of backticks in the text (CommonMark: the fence closes on an equal run). */
export function codeFence(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}
