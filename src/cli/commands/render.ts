/**
 * `contrail-gitops render`: policies folder -> rendered/ (vnc.json, CN2 resources, the rule
 * table). Validation errors stop it before anything is written; CN2 findings are printed as
 * warnings where they point in the policies. `--check` writes nothing and fails when rendered/
 * is not what a render would write (the CI drift check).
 */
import path from 'node:path';
import { hasErrors, formatDiagnostic } from '../../diagnostics.js';
import { fsSource } from '../../load/fs-source.js';
import { RecordingSource } from '../../load/recording-source.js';
import { compileRepository } from '../../pipeline.js';
import { renderSnapshot } from '../../render/index.js';
import { inputsStampOf } from '../../render/stamp.js';
import { writeRendered, type WriteResult } from '../../render/write.js';
import type { Snapshot } from '../../snapshot/model.js';
import type { Command } from '../command.js';
import { COMPILE_OPTIONS, configFromFlags, ROOT_OPTION } from '../config-flags.js';
import { invalidSummary } from './validate.js';

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
    const config = await configFromFlags(values, ctx);
    const source = new RecordingSource(fsSource(config.root));
    const compiled = await compileRepository(source, config);
    for (const d of compiled.diagnostics) ctx.stderr.write(`${formatDiagnostic(d)}\n`);
    if (hasErrors(compiled.front.diagnostics)) {
      ctx.stderr.write(`${invalidSummary(compiled.front)}: nothing rendered\n`);
      return 1;
    }
    const snapshot = compiled.snapshot;
    if (!snapshot) {
      ctx.stderr.write(`mode ${config.mode} cannot compile these policies: nothing rendered\n`);
      return 1;
    }

    const outLabel = `${config.output.replace(/\/+$/, '')}/`;
    const result = await writeRendered(path.join(config.root, config.output), renderSnapshot(snapshot, config), {
      check: values.check === true,
      inputs: await inputsStampOf(source, config),
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
