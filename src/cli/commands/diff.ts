/**
 * `contrail-gitops diff --base REF [--head REF]`: what a change does to the Contrail firewall, as
 * a reviewer needs it (the pull-request comment with `--format markdown`). Both sides are compiled
 * with the current compiler and configuration; the head defaults to the working tree.
 */
import path from 'node:path';
import { UserError } from '../../diagnostics.js';
import { diffRevisions } from '../../diff/revisions.js';
import { atomicWrite } from '../../render/write.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../report/index.js';
import type { Command } from '../command.js';
import { COMPILE_OPTIONS, configFromFlags, ROOT_OPTION } from '../config-flags.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const diffCommand: Command = {
  name: 'diff',
  summary: 'compare the firewall a git revision compiles to with the working tree (or another revision): rules, flows, risks',
  usage: '--base REF [--head REF] [--format text|markdown|json] [--full] [--out FILE] [--root DIR] [--policies DIR] [--mode cn2|exact] [--cluster NAME]',
  options: {
    ...ROOT_OPTION,
    ...COMPILE_OPTIONS,
    base: { type: 'string', valueName: 'REF', description: 'git revision to compare with: branch, tag or commit sha (required)' },
    head: { type: 'string', valueName: 'REF', description: 'git revision to compare (default: the working tree)' },
    format: { type: 'string', valueName: 'FORMAT', description: 'text (default; coloured on a terminal), markdown (the pull-request comment) or json' },
    full: {
      type: 'boolean',
      description: 'markdown: the whole report within the job-summary limit (1 MiB) instead of the comment limit (65,536 characters)',
    },
    out: { type: 'string', valueName: 'FILE', description: 'write the report to FILE (atomically) instead of stdout' },
    'no-simulate': { type: 'boolean', description: 'skip the connectivity simulation (flows opened and closed)' },
  },
  async run(values, positionals, ctx) {
    if (positionals.length) throw new UserError(`unexpected argument ${JSON.stringify(positionals[0])}; the base is given with --base REF`);
    const base = str(values.base);
    if (!base) throw new UserError("--base REF is required: the git revision to compare with (e.g. --base origin/main)");
    const format = (str(values.format) ?? 'text') as ReportFormat;
    if (!REPORT_FORMATS.includes(format)) throw new UserError(`--format: must be one of ${REPORT_FORMATS.join(', ')}; got ${JSON.stringify(format)}`);
    if (values.full && format !== 'markdown') throw new UserError('--full applies to --format markdown only');

    // --out names the report file here, not the output folder as in `render`.
    const config = await configFromFlags({ ...values, out: undefined }, ctx);
    const head = str(values.head);
    const result = await diffRevisions({
      root: config.root,
      base,
      ...(head !== undefined ? { head } : {}),
      config,
      simulate: values['no-simulate'] !== true,
    });
    const out = str(values.out);
    const color = format === 'text' && !out && ctx.stdout.isTTY === true && !ctx.env.NO_COLOR;
    const text = renderReport(result, { format, full: values.full === true, color });
    if (out) {
      const file = path.resolve(ctx.cwd, out);
      await atomicWrite(file, Buffer.from(text, 'utf8'));
      ctx.stderr.write(`wrote ${out}\n`);
    } else {
      ctx.stdout.write(text);
    }
    // The report is the product; errors in the head's policies still fail the command (as validate does).
    return result.report.summary.headErrors > 0 ? 1 : 0;
  },
};
