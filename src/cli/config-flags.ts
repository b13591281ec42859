/**
 * The flags every command that reads the policies shares, and how they turn into a Config
 * (`contrail-gitops.yaml` first, flags over it).
 */
import path from 'node:path';
import { type ConfigOverrides, loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import type { Mode } from '../snapshot/model.js';
import type { CommandContext, OptionSpec } from './command.js';

export const ROOT_OPTION: Record<string, OptionSpec> = {
  root: { type: 'string', valueName: 'DIR', description: 'repository root holding contrail-gitops.yaml (default: current folder)' },
};

export const POLICIES_OPTION: Record<string, OptionSpec> = {
  policies: { type: 'string', valueName: 'DIR', description: 'policies folder, relative to the root (default: policies)' },
};

export const COMPILE_OPTIONS: Record<string, OptionSpec> = {
  ...POLICIES_OPTION,
  mode: { type: 'string', valueName: 'MODE', description: 'cn2 (what CN2 creates, default) or exact (what Kubernetes specifies)' },
  cluster: { type: 'string', valueName: 'NAME', description: 'cluster name CN2 prefixes objects with (default: k8s)' },
};

type Values = Readonly<Record<string, string | boolean | string[] | undefined>>;

const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);

/** Config from `contrail-gitops.yaml` under --root (or the current folder), with the flags over it. */
export async function configFromFlags(values: Values, ctx: Pick<CommandContext, 'cwd'>): Promise<Config> {
  const root = path.resolve(ctx.cwd, str(values.root) ?? '.');
  const overrides: ConfigOverrides = {
    policies: str(values.policies),
    output: str(values.out),
    mode: str(values.mode) as Mode | undefined,
    cluster: str(values.cluster),
  };
  return loadConfig(root, overrides);
}
