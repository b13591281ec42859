/**
 * The pipeline every command and action runs: policies folder -> front end (load, validate,
 * default) -> the configured lowering -> snapshot. One place, so `render`, `diff`, `verify`,
 * `explain` and the GitHub Actions can never compile the same folder two different ways.
 */
import { compile } from './compile/index.js';
import type { LoweringOptions } from './compile/lowering.js';
import type { Config } from './config/types.js';
import { type Diagnostic, hasErrors, sortDiagnostics, UserError } from './diagnostics.js';
import { type FrontEndResult, readPolicySet } from './frontend.js';
import type { FileSource } from './load/file-source.js';
import { diagnosticAt } from './load/report.js';
import type { PolicySet } from './model/policy.js';
import type { Finding, Mode, Snapshot } from './snapshot/model.js';
import { GENERATOR } from './version.js';

export function loweringOptions(config: Config): LoweringOptions & { mode: Mode } {
  return {
    mode: config.mode,
    cluster: config.cluster,
    generator: GENERATOR,
    podCIDR: config.podCIDR,
    inventoryComplete: config.inventoryComplete,
  };
}

/** A CN2 finding where it points in the policies: `file:line:col: warning: field: message [kind]`. */
export function findingDiagnostic(f: Finding): Diagnostic {
  return diagnosticAt(f.origin, f.severity, `${f.message} [${f.kind}]`);
}

export interface CompiledRepository {
  readonly front: FrontEndResult;
  /** Absent when the lowering refused the policies (mode `exact`: what tags cannot express). */
  readonly snapshot?: Snapshot;
  /** Front-end diagnostics, compile errors and the snapshot's findings, sorted. */
  readonly diagnostics: readonly Diagnostic[];
  /** True when the front end or the lowering reported an error. */
  readonly failed: boolean;
}

/**
 * Compiles whatever is valid, even when some objects are not: the diff shows a pull request's
 * errors next to what its valid policies would do. Callers that must not act on invalid input
 * check `failed` (or use compileOrThrow).
 */
export async function compileRepository(source: FileSource, config: Config): Promise<CompiledRepository> {
  const front = await readPolicySet(source, config.policies);
  return compilePolicySet(front, config);
}

export function compilePolicySet(front: FrontEndResult, config: Config): CompiledRepository {
  const lowered = compile(front.policySet, loweringOptions(config));
  const diagnostics = sortDiagnostics([
    ...front.diagnostics,
    ...lowered.diagnostics,
    ...(lowered.snapshot?.findings ?? []).map(findingDiagnostic),
  ]);
  const failed = hasErrors(front.diagnostics) || hasErrors(lowered.diagnostics) || !lowered.snapshot;
  return { front, diagnostics, failed, ...(lowered.snapshot && !hasErrors(lowered.diagnostics) ? { snapshot: lowered.snapshot } : {}) };
}

export interface Compiled {
  readonly policySet: PolicySet;
  readonly snapshot: Snapshot;
  /** Warnings and notices (findings included), sorted. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Compiles, or throws a UserError with every error when the policies are invalid or cannot be expressed. */
export async function compileOrThrow(source: FileSource, config: Config): Promise<Compiled> {
  const r = await compileRepository(source, config);
  if (r.failed || !r.snapshot) {
    const stage = hasErrors(r.front.diagnostics)
      ? `the policies in ${config.policies}/ are not valid`
      : `mode ${config.mode} cannot compile the policies in ${config.policies}/`;
    throw new UserError(`${stage}: nothing was done`, r.diagnostics.filter((d) => d.severity === 'error'));
  }
  return { policySet: r.front.policySet, snapshot: r.snapshot, diagnostics: r.diagnostics };
}
