/**
 * Configuration: `contrail-gitops.yaml` at the repository root (optional), then command-line
 * flags over it. Unknown keys and bad values are errors that point at the line, because a typo in
 * `mode:` silently falling back to the default would render the wrong firewall.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import { type Diagnostic, UserError } from '../diagnostics.js';
import { parseCidrAsWritten } from '../net/ip.js';
import { type Config, DEFAULT_CONFIG } from './types.js';

export const CONFIG_FILE = 'contrail-gitops.yaml';

/** Values given on the command line (or as action inputs); undefined = not given. */
export type ConfigOverrides = Partial<Omit<Config, 'root'>>;

type Check = (value: unknown) => string | undefined;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RELATIVE_DIR = (v: unknown) =>
  typeof v !== 'string' || v.trim() === ''
    ? 'must be a folder path (a string)'
    : path.isAbsolute(v) || v.split(/[\\/]/).includes('..')
      ? 'must be a folder inside the repository (relative, without "..")'
      : undefined;

const CHECKS: Record<keyof Omit<Config, 'root'>, Check> = {
  policies: RELATIVE_DIR,
  output: RELATIVE_DIR,
  mode: (v) => (v === 'cn2' || v === 'exact' ? undefined : 'must be "cn2" (what CN2 creates) or "exact" (what Kubernetes specifies)'),
  cluster: (v) =>
    typeof v === 'string' && v.length <= 63 && DNS1123_LABEL.test(v)
      ? undefined
      : 'must be a cluster name: lower-case letters, digits and "-", at most 63 characters (CN2 prefixes object names with it)',
  cn2ApiVersion: (v) =>
    typeof v === 'string' && /^[a-z0-9.-]+\/v[0-9]+((alpha|beta)[0-9]+)?$/.test(v)
      ? undefined
      : 'must be an apiVersion such as "core.contrail.juniper.net/v1alpha1"',
  podCIDR: (v) => (typeof v === 'string' && parseCidrAsWritten(v) !== undefined ? undefined : 'must be a CIDR such as "10.244.0.0/16"'),
  inventoryComplete: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
};


/** Reads the configuration file (if any) under `root`, applies overrides, validates everything. */
export async function loadConfig(root: string, overrides: ConfigOverrides = {}): Promise<Config> {
  const absRoot = path.resolve(root);
  const fromFile = await readConfigFile(absRoot);
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG, ...fromFile };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const problem = CHECKS[key as keyof typeof CHECKS]?.(value);
    if (problem) problems.push(`--${flagName(key)}: ${problem}`);
    merged[key] = value;
  }
  if (problems.length) throw new UserError(problems.join('\n'));
  return { root: absRoot, ...(merged as Omit<Config, 'root'>) };
}

/** The command-line flag a setting comes from (`output` is `--out`). */
function flagName(key: string): string {
  return key === 'output' ? 'out' : key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

async function readConfigFile(root: string): Promise<Partial<Config>> {
  let text: string;
  try {
    text = await readFile(path.join(root, CONFIG_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UserError(`${CONFIG_FILE}: cannot read: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    // loadAll: js-yaml's load() refuses a file with no document (all comments), which is a valid, empty configuration.
    const docs = loadAll(text, { filename: CONFIG_FILE, maxAliases: 0 });
    if (docs.length > 1) throw new Error('holds several YAML documents; keep one mapping of settings');
    data = docs[0];
  } catch (e) {
    throw new UserError(`${CONFIG_FILE}: error: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError(`${CONFIG_FILE}:1:1: error: must be a mapping of settings (policies, output, mode, cluster, cn2ApiVersion, podCIDR, inventoryComplete)`);
  }
  const diagnostics: Diagnostic[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const line = lineOfTopLevelKey(text, key);
    const check = CHECKS[key as keyof typeof CHECKS];
    if (!check) {
      diagnostics.push({
        file: CONFIG_FILE,
        line,
        col: 1,
        severity: 'error',
        field: key,
        message: `unknown setting; known settings: ${Object.keys(CHECKS).join(', ')}`,
      });
      continue;
    }
    const problem = check(value);
    if (problem) diagnostics.push({ file: CONFIG_FILE, line, col: key.length + 3, severity: 'error', field: key, message: problem });
    else out[key] = value;
  }
  if (diagnostics.length) throw new UserError(`${CONFIG_FILE} is not valid`, diagnostics);
  return out as Partial<Config>;
}

/** Line (1-based) of a top-level key; the file is a flat mapping, so a line scan is exact enough. */
function lineOfTopLevelKey(text: string, key: string): number {
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => l.startsWith(`${key}:`) || l.startsWith(`"${key}":`) || l.startsWith(`'${key}':`));
  return i + 1;
}
