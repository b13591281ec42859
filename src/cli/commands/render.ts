/**
 * `contrail-gitops render`: policies folder -> rendered/ (vnc.json, CN2 resources, the rule
 * table). Validation errors stop it before anything is written; CN2 findings are printed as
 * warnings where they point in the policies. `--check` writes nothing and fails when rendered/
 * is not what a render would write (the CI drift check).
 */
import path from 'node:path';
import { compile } from '../../compile/index.js';
import type { Config } from '../../config/types.js';
import { type Diagnostic, formatDiagnostic, hasErrors, sortDiagnostics } from '../../diagnostics.js';
import { readPolicySet } from '../../frontend.js';
import { fsSource } from '../../load/fs-source.js';
import { diagnosticAt } from '../../load/report.js';
import { renderSnapshot } from '../../render/index.js';
import { writeRendered, type WriteResult } from '../../render/write.js';
import type { Finding, Snapshot } from '../../snapshot/model.js';
import { GENERATOR } from '../../version.js';
import type { Command, CommandContext } from '../command.js';
import { COMPILE_OPTIONS, configFromFlags, ROOT_OPTION } from '../config-flags.js';
import { invalidSummary } from './validate.js';

type Values = Parameters<Command['run']>[0];

/** The configuration this command runs with: `contrail-gitops.yaml` under --root, flags over it. */
export async function renderConfig(values: Values, ctx: Pick<CommandContext, 'cwd'>): Promise<Config> {
  return configFromFlags(values, ctx);
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `5 tags, 3 address groups, 9 firewall rules, 4 firewall policies, 1 application policy set`. */
export function objectCounts(s: Snapshot): string {
  return [
    plural(s.tags.length, 'tag'),
    plural(s.addressGroups.length, 'address group'),
    plural(s.rules.length, 'firewall rule'),
    plural(s.policies.length, 'firewall policy', 'firewall policies'),
    plural(s.policySets.length, 'application policy set'),
  ].join(', ');
}

/** A CN2 finding where it points in the policies: `file:line:col: warning: field: message [kind]`. */
export function findingDiagnostic(f: Finding): Diagnostic {
  return diagnosticAt(f.origin, f.severity, `${f.message} [${f.kind}]`);
}

function staleReport(outLabel: string, r: WriteResult): string {
  const lines = [
    `${outLabel} is not what a render writes: ${plural(r.changed.length + r.removed.length, 'file')} differ${r.changed.length + r.removed.length === 1 ? 's' : ''}`,
    ...r.changed.map((p) => `  would write:  ${outLabel}${p}`),
    ...r.removed.map((p) => `  would remove: ${outLabel}${p}`),
    "Run 'contrail-gitops render' and commit the result.",
  ];
  return `${lines.join('\n')}\n`;
}

export const renderCommand: Command = {
  name: 'render',
  summary: 'compile the policies folder and write rendered/ (Contrail VNC JSON, CN2 resources, the rule table)',
  usage: '[--root DIR] [--policies DIR] [--out DIR] [--mode cn2|exact] [--cluster NAME] [--check]',
  options: {
    ...ROOT_OPTION,
    ...COMPILE_OPTIONS,
    out: { type: 'string', valueName: 'DIR', description: 'output folder, relative to the root (default: rendered)' },
    check: { type: 'boolean', description: 'write nothing; exit 1 listing the files that differ when the output folder is stale' },
  },
  async run(values, _positionals, ctx) {
    const config = await renderConfig(values, ctx);
    const front = await readPolicySet(fsSource(config.root), config.policies);
    for (const d of front.diagnostics) ctx.stderr.write(`${formatDiagnostic(d)}\n`);
    if (hasErrors(front.diagnostics)) {
      ctx.stderr.write(`${invalidSummary(front)}: nothing rendered\n`);
      return 1;
    }

    const lowered = compile(front.policySet, {
      mode: config.mode,
      cluster: config.cluster,
      generator: GENERATOR,
      podCIDR: config.podCIDR,
      inventoryComplete: config.inventoryComplete,
    });
    const snapshot = lowered.snapshot;
    const notes = sortDiagnostics([...lowered.diagnostics, ...(snapshot?.findings ?? []).map(findingDiagnostic)]);
    for (const d of notes) ctx.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!snapshot || hasErrors(lowered.diagnostics)) {
      ctx.stderr.write(`mode ${config.mode} cannot compile these policies: nothing rendered\n`);
      return 1;
    }

    const outLabel = `${config.output.replace(/\/+$/, '')}/`;
    const result = await writeRendered(path.join(config.root, config.output), renderSnapshot(snapshot, config), {
      check: values.check === true,
    });
    if (values.check === true) {
      if (result.changed.length || result.removed.length) {
        ctx.stderr.write(staleReport(outLabel, result));
        return 1;
      }
      ctx.stdout.write(`${outLabel} is up to date (${plural(result.unchanged, 'file')})\n`);
      return 0;
    }
    ctx.stdout.write(
      `rendered ${objectCounts(snapshot)}: ${plural(result.changed.length, 'file')} changed, ${result.removed.length} removed (${outLabel})\n`,
    );
    return 0;
  },
};
