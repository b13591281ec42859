/** Runs validation rules on YAML text and returns the diagnostics as the CLI prints them. */
import { formatDiagnostic, sortDiagnostics } from '../../src/diagnostics.js';
import { loadText } from '../../src/load/loader.js';
import type { Rule } from '../../src/validate/rule.js';
import { validateObjects } from '../../src/validate/validate.js';

export const FILE = 'policies/test.yaml';

/** Diagnostics of `rules` alone (plus decoding) on the objects of `yaml`, formatted, sorted. */
export function check(yaml: string, rules: readonly Rule[]): string[] {
  const loaded = loadText(FILE, yaml);
  const validated = validateObjects(loaded.objects, rules);
  return sortDiagnostics([...loaded.diagnostics, ...validated.diagnostics]).map(formatDiagnostic);
}

/** A NetworkPolicy document with `spec` (YAML text, already indented by two spaces). */
export function policy(spec: string, metadata = '  name: p\n  namespace: ns\n'): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n${metadata}spec:\n${spec}`;
}
