/**
 * A lowering turns the policy model into a Contrail snapshot. One module per mode, all behind
 * this interface, so the CLI, the diff and the simulator never branch on the mode.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { PolicySet } from '../model/policy.js';
import type { Mode, Snapshot } from '../snapshot/model.js';

export interface LoweringOptions {
  readonly cluster: string;
  /** Written into the snapshot's `generator` field: `<package name> <version>`. */
  readonly generator: string;
  readonly podCIDR: string;
  readonly inventoryComplete: boolean;
}

export interface LoweringResult {
  /** Present unless `diagnostics` holds an error (a mode that refuses input never half-compiles). */
  readonly snapshot?: Snapshot;
  /** Compile errors (mode `exact`: what tags cannot express). Findings about a snapshot live in it. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface Lowering {
  readonly mode: Mode;
  lower(input: PolicySet, options: LoweringOptions): LoweringResult;
}
