/**
 * Diagnostics: every message the tool gives about the user's input, with the place it points at.
 * One shape for all stages (loader, validation, compiler findings), so the CLI, the report and
 * the GitHub annotations print them the same way: `file:line:col: severity: field: message`.
 */

export type Severity = 'error' | 'warning' | 'notice';

/** A place in a source file; line and column are 1-based, as editors and kubectl show them. */
export interface Position {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface Diagnostic extends Position {
  readonly severity: Severity;
  /** Field path inside the object, kubectl style: `spec.ingress[0].from[1].ipBlock.cidr`; '' for the whole file. */
  readonly field: string;
  readonly message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
  return d.field ? `${where}: ${d.severity}: ${d.field}: ${d.message}` : `${where}: ${d.severity}: ${d.message}`;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** Sorted by file, line, column, then severity and text: stable whatever order the stages ran in. */
export function sortDiagnostics<T extends Diagnostic>(ds: readonly T[]): T[] {
  return [...ds].sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      a.line - b.line ||
      a.col - b.col ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      cmp(a.field, b.field) ||
      cmp(a.message, b.message),
  );
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** Byte-order string comparison: locale-independent, so output never depends on the machine. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An error the user can fix: the CLI prints its diagnostics (or message) and exits 1, never a
 * stack trace. Anything else that escapes is a bug in this tool.
 */
export class UserError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(message: string, diagnostics: readonly Diagnostic[] = []) {
    super(message);
    this.name = 'UserError';
    this.diagnostics = diagnostics;
  }
}
