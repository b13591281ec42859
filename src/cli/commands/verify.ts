/**
 * `contrail-gitops verify`: every flow between the inventory's pods (and the policies' outside
 * addresses) under Kubernetes' semantics and under the compiled Contrail rules; the differences,
 * grouped by cause. In mode cn2 they are information (exit 0; --strict makes them fail); in mode
 * exact a difference is a defect of the translation and fails.
 */
import { UserError } from '../../diagnostics.js';
import { fsSource } from '../../load/fs-source.js';
import { formatVerify } from '../../simulate/format.js';
import { loadSimulation, synthesizedNote } from '../../simulate/pipeline.js';
import { verify } from '../../simulate/verify.js';
import type { Command } from '../command.js';
import { COMPILE_OPTIONS, configFromFlags, ROOT_OPTION } from '../config-flags.js';

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'simulate every flow under Kubernetes and under the Contrail rules; report where they differ, by cause',
  usage: '[--mode MODE] [--format text|json] [--strict] [--root DIR] [--policies DIR] [--cluster NAME]',
  options: {
    ...ROOT_OPTION,
    ...COMPILE_OPTIONS,
    format: { type: 'string', valueName: 'FORMAT', description: 'text (default) or json' },
    strict: { type: 'boolean', description: 'exit 1 on any difference (mode exact always does)' },
  },
  async run(values, _positionals, ctx) {
    const format = typeof values.format === 'string' ? values.format : 'text';
    if (format !== 'text' && format !== 'json') throw new UserError(`--format: "${format}" is not text or json`);
    const config = await configFromFlags(values, ctx);
    const sim = await loadSimulation(fsSource(config.root), config);
    const result = verify(sim.policySet, sim.snapshot, sim.inventory, { mode: config.mode });
    if (format === 'json') {
      if (result.synthesized) ctx.stderr.write(`${synthesizedNote(sim.inventory)}\n`);
      ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      if (result.synthesized) ctx.stdout.write(`${synthesizedNote(sim.inventory)}\n`);
      ctx.stdout.write(formatVerify(result));
    }
    const fails = result.divergent > 0 && (values.strict === true || config.mode === 'exact');
    return fails ? 1 : 0;
  },
};
