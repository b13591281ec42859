/** Plain-text answers of `explain` and `verify`, for a person at a terminal or in a CI log. */
import { DIVERGENCE_DESCRIPTIONS } from './causes.js';
import { type ContrailEndVerdict, IMPLICIT } from './contrail.js';
import { formatPoint } from './probe-space.js';
import type { ProbeOutcome, VerifyResult } from './verify.js';

const word = (allowed: boolean): string => (allowed ? 'allowed' : 'denied');

function contrailEnd(label: string, who: string, v: ContrailEndVerdict): string {
  if (v.rule === IMPLICIT) {
    return v.allowed
      ? `${label} (${who}): allows: no firewall policy applies to it`
      : `${label} (${who}): denies: no rule matches (implicit deny)`;
  }
  return `${label} (${who}): ${v.allowed ? 'allows' : 'denies'} by rule ${v.rule}`;
}

/** One probe: both decisions, the policies and rules behind them, and whether they agree. */
export function formatOutcome(o: ProbeOutcome, indent = ''): string {
  const lines = [`${o.from} -> ${o.to} ${o.protocol} ${o.port}`];
  lines.push(`  Kubernetes: ${word(o.kubernetes.allowed)}`);
  for (const r of o.kubernetes.reasons) lines.push(`    ${r.end === 'egress' ? 'egress ' : 'ingress'}: ${r.message}`);
  lines.push(`  Contrail: ${word(o.contrail.allowed)}`);
  if (o.contrail.sender) lines.push(`    ${contrailEnd('sender', o.from, o.contrail.sender)}`);
  if (o.contrail.receiver) lines.push(`    ${contrailEnd('receiver', o.to, o.contrail.receiver)}`);
  lines.push(
    o.kubernetes.allowed === o.contrail.allowed
      ? '  Contrail enforces what Kubernetes specifies.'
      : `  Contrail differs: it ${o.contrail.allowed ? 'allows a flow Kubernetes denies' : 'denies a flow Kubernetes allows'}.`,
  );
  return lines.map((l) => indent + l).join('\n');
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function formatVerify(r: VerifyResult): string {
  const lines = [
    `verify (mode ${r.mode}): ${plural(r.pods, 'pod')}, ${plural(r.outsideAddresses, 'outside address', 'outside addresses')}, ` +
      `${plural(r.points.length, 'port')} (${r.points.map(formatPoint).join(', ')}): ${plural(r.probes, 'probe')}`,
  ];
  if (r.divergent === 0) {
    lines.push('Contrail enforces exactly what Kubernetes specifies on every probe.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`Contrail differs from Kubernetes on ${plural(r.divergent, 'probe')}, ${plural(r.groups.length, 'cause')}:`);
  for (const g of r.groups) {
    lines.push('');
    lines.push(`${g.cause}: ${plural(g.count, 'probe')} (Contrail allows ${g.contrailAllows} that Kubernetes denies, denies ${g.contrailDenies} that Kubernetes allows)`);
    lines.push(`  ${DIVERGENCE_DESCRIPTIONS[g.cause]}`);
    if (g.policies.length > 0) lines.push(`  policies: ${g.policies.join(', ')}`);
    lines.push('  example:');
    lines.push(formatOutcome(g.example, '    '));
  }
  return `${lines.join('\n')}\n`;
}
