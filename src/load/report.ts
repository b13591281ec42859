/** Diagnostics pointing into a loaded object: the one way loader and validation build them. */
import type { Diagnostic, Severity } from '../diagnostics.js';
import { fieldPath, keyPositionOf, positionOf, type Origin } from '../model/source.js';

/**
 * A diagnostic about the value at `origin` (or about its key, for messages on the key itself:
 * unknown fields, duplicate names). The field path is relative to the object, as kubectl prints it.
 */
export function diagnosticAt(
  origin: Origin,
  severity: Severity,
  message: string,
  options: { key?: boolean } = {},
): Diagnostic {
  const pos = options.key ? keyPositionOf(origin) : positionOf(origin);
  return { ...pos, severity, field: fieldPath(origin.path), message };
}

/** A diagnostic about a whole file (no position inside it). */
export function fileDiagnostic(file: string, severity: Severity, message: string, line = 0, col = 0): Diagnostic {
  return { file, line, col, severity, field: '', message };
}

/** A YAML value's type in words, for messages: `a list`, `the number 42`, `the string "x"`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `the ${typeof value} ${String(value)}`;
}
