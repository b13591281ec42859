/**
 * What `explain` and `verify` run on: the policies folder through the front end and the compiler,
 * and the inventory made from the same manifests. Stops with the front end's or the compiler's
 * diagnostics when the policies do not compile.
 */
import type { Config } from '../config/types.js';
import type { FileSource } from '../load/file-source.js';
import type { PolicySet } from '../model/policy.js';
import { compileOrThrow } from '../pipeline.js';
import type { Snapshot } from '../snapshot/model.js';
import { buildInventory, type Inventory } from './inventory.js';

export interface Simulation {
  readonly policySet: PolicySet;
  readonly snapshot: Snapshot;
  readonly inventory: Inventory;
}

export async function loadSimulation(source: FileSource, config: Config): Promise<Simulation> {
  const { policySet, snapshot } = await compileOrThrow(source, config);
  return { policySet, snapshot, inventory: buildInventory(policySet, { podCIDR: config.podCIDR }) };
}

/** The note both commands print when the pods were made up from the policies' selectors. */
export function synthesizedNote(inventory: Inventory): string {
  return `note: the repository declares no workloads; the ${inventory.pods.length} pods simulated were synthesized from the policies' selectors (one per label set, plus one unlabelled pod per namespace)`;
}
