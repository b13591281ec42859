/**
 * The compiler's entry point: one Lowering per mode, chosen by the configuration. Everything after
 * this (renderers, diff, simulator) reads the Snapshot and never branches on the mode.
 */
import { UserError } from '../diagnostics.js';
import type { PolicySet } from '../model/policy.js';
import type { Mode } from '../snapshot/model.js';
import { cn2Lowering } from './cn2/index.js';
import { exactLowering } from './exact/index.js';
import type { Lowering, LoweringOptions, LoweringResult } from './lowering.js';

/**
 * Registered lowerings. Mode `exact` lives in src/compile/exact/ and registers here as
 * `exact: exactLowering` (this becomes a full `Record<Mode, Lowering>` then).
 */
export const lowerings: Readonly<Partial<Record<Mode, Lowering>>> = {
  cn2: cn2Lowering,
  exact: exactLowering,
};

export function compile(policySet: PolicySet, options: LoweringOptions & { readonly mode: Mode }): LoweringResult {
  const lowering = lowerings[options.mode];
  if (!lowering) {
    const available = Object.keys(lowerings).join(', ');
    throw new UserError(`mode "${options.mode}" is not available in this build (available: ${available})`);
  }
  const { mode: _mode, ...loweringOptions } = options;
  return lowering.lower(policySet, loweringOptions);
}
