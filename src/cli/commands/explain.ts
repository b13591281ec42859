/** `contrail-gitops explain`: why a flow is allowed or denied, by Kubernetes and by Contrail. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../diagnostics.js';
import { fsSource } from '../../load/fs-source.js';
import { formatOutcome } from '../../simulate/format.js';
import { loadSimulation, synthesizedNote } from '../../simulate/pipeline.js';
import { explain, type ProbeInput } from '../../simulate/verify.js';
import type { Command } from '../command.js';
import { COMPILE_OPTIONS, configFromFlags, ROOT_OPTION } from '../config-flags.js';

type Values = Readonly<Record<string, string | boolean | string[] | undefined>>;
const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);

function parseFormat(v: string | undefined): 'text' | 'json' {
  if (v === undefined || v === 'text' || v === 'json') return v ?? 'text';
  throw new UserError(`--format: "${v}" is not text or json`);
}

/** `--probes FILE`: a JSON array of {from, to, port, protocol}. */
async function readProbes(file: string, cwd: string): Promise<ProbeInput[]> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new UserError(`${file}: must be a JSON array of {"from", "to", "port", "protocol"} objects`);
  return data.map((item, i) => {
    const where = `${file}: [${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new UserError(`${where}: must be an object {"from", "to", "port", "protocol"}`);
    const o = item as Record<string, unknown>;
    for (const key of ['from', 'to'] as const) {
      if (typeof o[key] !== 'string' || o[key] === '') throw new UserError(`${where}.${key}: must be a pod (namespace/name) or an IP address`);
    }
    if (o.protocol !== undefined && typeof o.protocol !== 'string') throw new UserError(`${where}.protocol: must be TCP, UDP or SCTP`);
    return { from: o.from as string, to: o.to as string, port: o.port as number, ...(o.protocol !== undefined ? { protocol: o.protocol as ProbeInput['protocol'] } : {}) };
  });
}

function singleProbe(values: Values): ProbeInput {
  const from = str(values.from);
  const to = str(values.to);
  const port = str(values.port);
  if (!from || !to || port === undefined) {
    throw new UserError("give --from, --to and --port (or --probes FILE). See 'contrail-gitops explain --help'.");
  }
  if (!/^\d+$/.test(port)) throw new UserError(`--port: "${port}" must be a number from 1 to 65535`);
  const protocol = str(values.protocol);
  return { from, to, port: Number(port), ...(protocol !== undefined ? { protocol: protocol as ProbeInput['protocol'] } : {}) };
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'show why a flow is allowed or denied, by Kubernetes and by the compiled Contrail rules',
  usage: '--from <ns/pod|IP> --to <ns/pod|IP> --port N [--protocol TCP] [--probes FILE] [--format text|json] [--root DIR] [--policies DIR] [--mode MODE] [--cluster NAME]',
  options: {
    ...ROOT_OPTION,
    ...COMPILE_OPTIONS,
    from: { type: 'string', valueName: 'END', description: 'sender: namespace/pod (or workload name) or an IP address' },
    to: { type: 'string', valueName: 'END', description: 'receiver: namespace/pod (or workload name) or an IP address' },
    port: { type: 'string', valueName: 'N', description: 'destination port' },
    protocol: { type: 'string', valueName: 'PROTO', description: 'TCP (default), UDP or SCTP' },
    probes: { type: 'string', valueName: 'FILE', description: 'a JSON array of {from, to, port, protocol} to explain instead' },
    format: { type: 'string', valueName: 'FORMAT', description: 'text (default) or json' },
  },
  async run(values, _positionals, ctx) {
    const format = parseFormat(str(values.format));
    const probesFile = str(values.probes);
    if (probesFile && (values.from !== undefined || values.to !== undefined || values.port !== undefined)) {
      throw new UserError('give either --probes FILE or --from/--to/--port, not both');
    }
    const inputs = probesFile ? await readProbes(probesFile, ctx.cwd) : [singleProbe(values)];
    const config = await configFromFlags(values, ctx);
    const sim = await loadSimulation(fsSource(config.root), config);
    const outcomes = explain(sim.policySet, sim.snapshot, sim.inventory, inputs);
    if (sim.inventory.synthesized) (format === 'json' ? ctx.stderr : ctx.stdout).write(`${synthesizedNote(sim.inventory)}\n`);
    if (format === 'json') ctx.stdout.write(`${JSON.stringify(outcomes, null, 2)}\n`);
    else ctx.stdout.write(`${outcomes.map((o) => formatOutcome(o)).join('\n\n')}\n`);
    return 0;
  },
};
