/**
 * The check's verdict: which findings fail the step, by the `fail-on` input. Each level includes
 * the ones before it: none < invalid < divergence < risk.
 */
import type { DiffSummary } from '../diff/types.js';
import type { FailOn } from './inputs.js';

const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** Why the step fails, or null when it passes. */
export function failureReason(failOn: FailOn, s: Pick<DiffSummary, 'headErrors' | 'divergences' | 'risks'>): string | null {
  const reasons: string[] = [];
  if (failOn === 'none') return null;
  if (s.headErrors > 0) reasons.push(`${n(s.headErrors, 'error')} in the policies (see the annotations)`);
  if ((failOn === 'divergence' || failOn === 'risk') && s.divergences > 0) {
    reasons.push(`${n(s.divergences, 'new CN2 divergence')} from Kubernetes semantics`);
  }
  if (failOn === 'risk' && s.risks > 0) reasons.push(n(s.risks, 'risk flag'));
  return reasons.length ? `${reasons.join('; ')} (fail-on: ${failOn})` : null;
}
