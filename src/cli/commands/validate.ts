/** `contrail-gitops validate`: load and validate the policies folder, as the API server would. */
import { formatDiagnostic, hasErrors } from '../../diagnostics.js';
import { readPolicySet, type FrontEndResult } from '../../frontend.js';
import { fsSource } from '../../load/fs-source.js';
import { KEPT_KINDS } from '../../validate/kinds.js';
import type { Command } from '../command.js';
import { configFromFlags, POLICIES_OPTION, ROOT_OPTION } from '../config-flags.js';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `valid: 7 files, 3 NetworkPolicy, 2 Namespace, 4 Deployment` (kinds in a fixed order). */
export function validSummary(result: Pick<FrontEndResult, 'files' | 'objects'>): string {
  const kinds = Object.keys(KEPT_KINDS)
    .filter((k) => (result.objects[k] ?? 0) > 0)
    .map((k) => `${result.objects[k]} ${k}`);
  return `valid: ${[plural(result.files, 'file'), ...kinds].join(', ')}`;
}

/** `invalid: 2 errors in 1 file`. */
export function invalidSummary(result: Pick<FrontEndResult, 'diagnostics'>): string {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const files = new Set(errors.map((d) => d.file)).size;
  return `invalid: ${plural(errors.length, 'error')} in ${plural(files, 'file')}`;
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check the policies folder as the Kubernetes API server would (every problem, with file and line)',
  usage: '[--root DIR] [--policies DIR]',
  options: { ...ROOT_OPTION, ...POLICIES_OPTION },
  async run(values, _positionals, ctx) {
    const config = await configFromFlags(values, ctx);
    const result = await readPolicySet(fsSource(config.root), config.policies);
    for (const d of result.diagnostics) ctx.stderr.write(`${formatDiagnostic(d)}\n`);
    if (hasErrors(result.diagnostics)) {
      ctx.stderr.write(`${invalidSummary(result)}\n`);
      return 1;
    }
    ctx.stdout.write(`${validSummary(result)}\n`);
    return 0;
  },
};
