/**
 * The compile errors and findings of mode `exact`. An error is something Contrail tags and address
 * groups cannot express exactly: the lowering refuses the input (no snapshot) rather than widen or
 * narrow what the policy says. A finding (warning) rides along in the snapshot.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { policyKey, type NetworkPolicy } from '../../model/policy.js';
import { fieldPath, type Origin, positionOf } from '../../model/source.js';
import type { Finding } from '../../snapshot/model.js';

export class Reporter {
  private readonly errorList: Diagnostic[] = [];
  private readonly findingList: Finding[] = [];
  private readonly seen = new Set<string>();

  /** A compile error at `origin`: what cannot be expressed, why, and the nearest form that can. */
  error(policy: NetworkPolicy, origin: Origin, message: string): void {
    this.errorAt(origin, `NetworkPolicy ${policyKey(policy)}: ${message}`);
  }

  /** A compile error about a manifest other than a NetworkPolicy (`message` names the object). */
  errorAt(origin: Origin, message: string): void {
    const d: Diagnostic = { ...positionOf(origin), severity: 'error', field: fieldPath(origin.path), message };
    const key = `${d.file}\u0000${d.line}\u0000${d.col}\u0000${d.field}\u0000${d.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.errorList.push(d);
  }

  warn(kind: string, policy: NetworkPolicy, origin: Origin, message: string): void {
    const key = `${kind}\u0000${policyKey(policy)}\u0000${origin.doc.file}\u0000${fieldPath(origin.path)}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findingList.push({ kind, severity: 'warning', policy: policyKey(policy), origin, message });
  }

  get errors(): readonly Diagnostic[] {
    return this.errorList;
  }

  get findings(): readonly Finding[] {
    return this.findingList;
  }
}
