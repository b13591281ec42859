/**
 * The report for a terminal: the same sections as the Markdown report, as indented lines, with
 * ANSI colours only when asked (the CLI asks when stdout is a TTY). Control characters from policy
 * text are shown as `\xNN` so a crafted name cannot move the cursor or recolour the terminal.
 */
import { formatDiagnostic } from '../diagnostics.js';
import type { DiffReport, FlowChange, RuleChange } from '../diff/types.js';
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

export interface TextOptions {
  readonly color: boolean;
}

type Paint = (s: string) => string;

function palette(color: boolean): Record<'bold' | 'green' | 'red' | 'yellow' | 'dim', Paint> {
  const sgr = (code: string): Paint => (color ? (s) => `\u001b[${code}m${s}\u001b[0m` : (s) => s);
  return { bold: sgr('1'), green: sgr('32'), red: sgr('31'), yellow: sgr('33'), dim: sgr('2') };
}

/** Text from policies, made inert for a terminal. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function renderText(r: DiffReport, o: TextOptions): string {
  const p = palette(o.color);
  if (r.summary.noChange) {
    return `No change to the Contrail firewall configuration between ${plain(r.base.label)} and ${plain(r.head.label)}.\n`;
  }
  const out: string[] = [];
  out.push(p.bold(`Contrail firewall changes: ${plain(r.head.label)} compared with ${plain(r.base.label)} (mode ${r.mode}, cluster ${plain(r.cluster)})`));
  const { plan, details } = headline(r.summary, r.connectivity.evaluated);
  out.push(`${p.bold(plan)}${details ? ` ${details}` : ''}`);
  for (const problem of r.problems) out.push(p.yellow(`warning: ${plain(problem)}`));

  if (r.risks.length) {
    out.push('', p.bold(`Risks (${r.risks.length})`));
    for (const k of r.risks) {
      out.push(`  ${p.yellow(RISK_TITLES[k.kind])}: ${plain(k.message)}${k.origin ? ` (${plain(positionText(k.origin))})` : ''}`);
    }
  }

  const errors = r.headDiagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    out.push('', p.bold(`Policy errors in ${plain(r.head.label)} (${errors.length})`));
    for (const d of errors) out.push(`  ${p.red(plain(formatDiagnostic(d)))}`);
  }

  const fps = [...r.firewallPolicies, ...(r.unreferencedRules ? [r.unreferencedRules] : [])];
  if (fps.length) out.push('', p.bold('Firewall rules'));
  for (const fp of fps) {
    out.push(`  ${p.bold(plain(fp.name))}: ${fp.status}${fp.policy ? ` (NetworkPolicy ${plain(fp.policy)})` : ''}`);
    for (const c of fp.rules) out.push(...ruleLines(c, p));
    for (const x of fp.renamed) out.push(`    ${p.dim(`renamed, same behaviour: ${plain(x.base)} -> ${plain(x.head)}`)}`);
    if (fp.resequenced) out.push(`    ${p.dim(`${plural(fp.resequenced, 'rule')} re-sequenced, same order`)}`);
    if (fp.moved.length) {
      out.push(`    order changed: ${movesText(fp.moved, plain)}; effect: ${orderVerdict(fp.orderChangesBehaviour)}`);
    }
  }

  const objects: string[] = [];
  if (r.tags.added.length) objects.push(`  ${p.green('+')} tags ${r.tags.added.map(plain).join(', ')}`);
  if (r.tags.removed.length) objects.push(`  ${p.red('-')} tags ${r.tags.removed.map(plain).join(', ')}`);
  for (const g of r.addressGroups.added) objects.push(`  ${p.green('+')} address group ${plain(g.name)} (${g.prefixes.join(', ')})`);
  for (const g of r.addressGroups.removed) objects.push(`  ${p.red('-')} address group ${plain(g.name)} (${g.prefixes.join(', ')})`);
  for (const g of r.addressGroups.changed) {
    const parts = [...g.prefixesAdded.map((x) => p.green(`+${x}`)), ...g.prefixesRemoved.map((x) => p.red(`-${x}`))];
    objects.push(`  ${p.yellow('~')} address group ${plain(g.name)}: ${parts.join(' ')}`);
  }
  for (const s of r.policySets) {
    if (s.status !== 'changed') objects.push(`  application policy set ${plain(s.name)} ${s.status}`);
    else if (s.moved.length) {
      objects.push(`  firewall policy order in ${plain(s.name)}: ${movesText(s.moved, plain)}; effect: ${orderVerdict(s.orderChangesBehaviour)}`);
    }
  }
  if (objects.length) out.push('', p.bold('Tags, address groups, policy order'), ...objects);

  const c = r.connectivity;
  out.push('', p.bold('Connectivity'));
  if (!c.evaluated) out.push(`  not simulated: ${plain(c.reason ?? 'no simulation')}`);
  else if (!c.opened.length && !c.closed.length && !c.notEnforced.length) {
    out.push(`  no flow changes (${plural(c.probes, 'probe')}${c.synthesized ? ' over pods made up from the selectors' : ''})`);
  }
  else {
    for (const f of c.opened) out.push(flowLine(p.green('opened'), f));
    for (const f of c.closed) out.push(flowLine(p.red('closed'), f));
    for (const f of c.notEnforced) {
      out.push(`  ${p.yellow('not enforced by CN2')} ${flowText(f)}: Kubernetes ${kubernetesText(f.kubernetes)}, CN2 ${f.head.allowed ? 'allows' : 'denies'} (${plain(decisionText(f.head))})`);
    }
  }

  if (r.divergences.length) {
    out.push('', p.bold(`CN2 divergences introduced (${r.divergences.length})`));
    for (const d of r.divergences) out.push(`  ${plain(divergenceText(d))} (${plain(d.kind)})`);
  }
  if (r.staleArtifacts) {
    const s = r.staleArtifacts;
    out.push('', p.yellow(`The committed ${plain(s.dir)}/ of ${plain(r.base.label)} is stale (differs from a fresh render of its policies):`));
    for (const f of s.changed) out.push(`  differs: ${plain(`${s.dir}/${f}`)}`);
    for (const f of s.missing) out.push(`  missing: ${plain(`${s.dir}/${f}`)}`);
    for (const f of s.extra) out.push(`  extra: ${plain(`${s.dir}/${f}`)}`);
  }
  return `${out.join('\n')}\n`;
}

function ruleLines(c: RuleChange, p: ReturnType<typeof palette>): string[] {
  if (c.kind === 'added') return [`    ${p.green('+')} ${RULE_COLUMNS.map((f) => plain(fieldText(c.head, f))).join('  ')}`];
  if (c.kind === 'removed') return [`    ${p.red('-')} ${RULE_COLUMNS.map((f) => plain(fieldText(c.base, f))).join('  ')}`];
  const lines = [`    ${p.yellow('~')} ${plain(c.head.name)}`];
  for (const f of c.fields) lines.push(`        ${FIELD_TITLES[f]}: ${p.red(plain(fieldText(c.base, f)))} -> ${p.green(plain(fieldText(c.head, f)))}`);
  return lines;
}

const flowText = (f: FlowChange): string =>
  `${plain(flowEndpointText(f.from))} -> ${plain(flowEndpointText(f.to))} : ${plain(f.ports.join(', '))}`;

function flowLine(label: string, f: FlowChange): string {
  const source = flowSourceText(f);
  const where = source !== undefined ? `, ${plain(source)}` : '';
  return `  ${label} ${flowText(f)} (decided by ${plain(decisionText(f.head))}${where}; Kubernetes ${kubernetesText(f.kubernetes)})`;
}
