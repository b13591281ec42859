/**
 * Names of mode `exact`'s objects, from what a rule does and where it comes from (policy,
 * direction, peer, port), never from positions: inserting a rule or a peer renames nothing else.
 * `exact-default-test-network-policy-ingress-from-role.frontend-tcp-6379` is the ingress rule of
 * default/test-network-policy that admits role=frontend pods on TCP 6379.
 */
import { createHash } from 'node:crypto';
import type { Term } from './terms.js';

/** Contrail refuses `:` in a name (fq_names are joined with it). */
const NAME_LIMIT = 200;

export function shortHash(text: string, length = 6): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A name Contrail accepts: no `:`, and not longer than NAME_LIMIT (cut, with a hash of the whole). */
export function safeName(text: string): string {
  const clean = text.split(':').join('.');
  if (clean.length <= NAME_LIMIT) return clean;
  return `${clean.slice(0, NAME_LIMIT - 9)}-${shortHash(clean, 8)}`;
}

/**
 * A term as a name part: `type.value` joined with `-`, leaving out `namespace=<ns>` when `ns` is
 * the policy's own and other tags remain (`role.frontend`); `all-pods` for the empty term.
 */
export function termLabel(term: Term, ownNamespace?: string): string {
  if (term.size === 0) return 'all-pods';
  const own = ownNamespace !== undefined && term.get('namespace') === ownNamespace && term.size > 1;
  return term.entries
    .filter(([t]) => !(own && t === 'namespace'))
    .map(([t, v]) => `${t}.${v}`)
    .join('-');
}

/** An isolated selection as a name part: its namespace, then its other tags (`default-role.db`). */
export function selectionLabel(term: Term): string {
  const ns = term.get('namespace');
  const rest = term.entries.filter(([t]) => t !== 'namespace').map(([t, v]) => `${t}.${v}`);
  return [...(ns !== undefined ? [ns] : []), ...rest].join('-') || 'all-pods';
}
