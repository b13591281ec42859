/**
 * The front end: policies folder -> validated, defaulted policy model. Load (walk, parse,
 * extract objects), validate as the Kubernetes API server does, default and normalise. Both
 * sides of a diff (working tree, base revision) go through here.
 */
import { sortDiagnostics, type Diagnostic } from './diagnostics.js';
import type { FileSource } from './load/file-source.js';
import { loadObjects } from './load/loader.js';
import type { PolicySet } from './model/policy.js';
import { toPolicySet } from './validate/normalize.js';
import { validateObjects } from './validate/validate.js';

export interface FrontEndResult {
  /** The valid objects only, when `diagnostics` has errors (callers stop on errors anyway). */
  readonly policySet: PolicySet;
  /** Errors, warnings and notices, sorted by file, line and column. */
  readonly diagnostics: Diagnostic[];
  /** Policy files read (`.yaml`, `.yml`, `.json`). */
  readonly files: number;
  /** Objects of each kept kind, e.g. `{ NetworkPolicy: 3, Namespace: 2 }`. */
  readonly objects: Record<string, number>;
}

/**
 * Reads the policies folder `policiesDir` (repository-relative) of `source`. Problems in the
 * files are diagnostics; it throws (UserError) only when the folder cannot be listed.
 */
export async function readPolicySet(source: FileSource, policiesDir: string): Promise<FrontEndResult> {
  const loaded = await loadObjects(source, policiesDir);
  const validated = validateObjects(loaded.objects);
  return {
    policySet: toPolicySet(validated.valid),
    diagnostics: sortDiagnostics([...loaded.diagnostics, ...validated.diagnostics]),
    files: loaded.files,
    objects: validated.counts,
  };
}
