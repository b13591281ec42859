/**
 * CN2 divergences that a change introduces: the head's snapshot findings minus the base's. A
 * finding is the same on both sides when its cause, policy and message are; its place is not
 * compared, since an edit above it moves its line without changing what it says.
 */
import { cmp } from '../diagnostics.js';
import { positionOf } from '../model/source.js';
import type { Finding, Snapshot } from '../snapshot/model.js';
import type { FindingView } from './types.js';

const key = (f: Finding): string => `${f.kind}\u0000${f.policy}\u0000${f.severity}\u0000${f.message}`;

export function findingView(f: Finding): FindingView {
  return { kind: f.kind, severity: f.severity, policy: f.policy, message: f.message, origin: positionOf(f.origin) };
}

export function introducedFindings(base: Snapshot | undefined, head: Snapshot): FindingView[] {
  const old = new Map<string, number>();
  for (const f of base?.findings ?? []) old.set(key(f), (old.get(key(f)) ?? 0) + 1);
  const out: FindingView[] = [];
  for (const f of head.findings) {
    const left = old.get(key(f)) ?? 0;
    if (left > 0) old.set(key(f), left - 1);
    else out.push(findingView(f));
  }
  return out.sort(
    (a, b) =>
      cmp(a.origin.file, b.origin.file) ||
      a.origin.line - b.origin.line ||
      a.origin.col - b.origin.col ||
      cmp(a.kind, b.kind) ||
      cmp(a.message, b.message),
  );
}
