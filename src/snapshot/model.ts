/**
 * The snapshot model: one typed description of the Contrail configuration, read by every
 * renderer, the diff and the simulator. Names and values are already Contrail's (the VNC
 * schema's), so renderers only change the syntax. Lists are kept sorted by name; order that
 * matters for enforcement lives in the `sequence` strings of the references.
 */
import type { Origin } from '../model/source.js';

export type Mode = 'cn2' | 'exact';

/** All firewall objects live under this parent (global scope), as CN2 creates them. */
export const POLICY_MANAGEMENT = 'default-policy-management';

export interface Tag {
  /** `type=value`, e.g. `role=db`; this is also the fq_name. */
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

export interface Prefix {
  readonly ip: string;
  readonly len: number;
}

export interface AddressGroup {
  readonly name: string;
  readonly prefixes: readonly Prefix[];
}

export type Endpoint =
  | { readonly tags: readonly string[] }
  | { readonly addressGroup: string }
  | { readonly any: true };

export interface PortRange {
  readonly start: number;
  readonly end: number;
}

export interface Service {
  /** `tcp`, `udp`, `sctp` or `any`. */
  readonly protocol: string;
  readonly dstPorts: PortRange;
  /** Only where not the full range. */
  readonly srcPorts?: PortRange;
}

export type Action = 'pass' | 'deny';
export type Direction = '>' | '<' | '<>';

/** Where a rule comes from: the NetworkPolicy (and the part of it) that made it. Not rendered to VNC. */
export interface RuleSource {
  /** `namespace/name` of the owning NetworkPolicy; absent for cluster-wide rules (allow-all). */
  readonly policy?: string;
  readonly direction?: 'ingress' | 'egress';
  /** The rule, peer or port in the NetworkPolicy this firewall rule stands for. */
  readonly origin?: Origin;
}

export interface FirewallRule {
  readonly name: string;
  readonly action: Action;
  readonly service: Service;
  readonly endpoint1: Endpoint;
  readonly endpoint2: Endpoint;
  readonly direction: Direction;
  readonly source?: RuleSource;
}

export interface SequencedRef {
  /** The referenced object's name (the last element of its fq_name). */
  readonly name: string;
  /** Zero-padded so that string order is numeric order: `00000.0`, `00001.0`. */
  readonly sequence: string;
}

export interface FirewallPolicy {
  readonly name: string;
  readonly rules: readonly SequencedRef[];
  /** `namespace/name` of the NetworkPolicy it stands for, when it stands for one. */
  readonly policy?: string;
}

export interface ApplicationPolicySet {
  readonly name: string;
  /** Tags the set is bound to (`application=k8s`). */
  readonly tags: readonly string[];
  readonly policies: readonly SequencedRef[];
}

/** Something the compiler wants a reviewer to know: what CN2 will do differently, or what it cannot do. */
export interface Finding {
  /** A stable id of the cause, e.g. `named-port`, `match-expressions-dropped` (see mapping.md divergences). */
  readonly kind: string;
  readonly severity: 'error' | 'warning' | 'notice';
  /** `namespace/name` of the NetworkPolicy. */
  readonly policy: string;
  readonly origin: Origin;
  readonly message: string;
}

export interface Snapshot {
  readonly mode: Mode;
  readonly cluster: string;
  readonly generator: string;
  readonly tags: readonly Tag[];
  readonly addressGroups: readonly AddressGroup[];
  readonly rules: readonly FirewallRule[];
  readonly policies: readonly FirewallPolicy[];
  readonly policySets: readonly ApplicationPolicySet[];
  readonly findings: readonly Finding[];
}

/** `00000.0` for 0: kube-manager's `construct_sequence_number`. */
export function sequenceString(n: number): string {
  return `${String(Math.trunc(n)).padStart(5, '0')}.0`;
}
