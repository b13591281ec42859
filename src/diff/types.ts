/**
 * The DiffReport: everything a reviewer is told about a change, as plain data. Every renderer
 * (Markdown for the pull-request comment, text for a terminal, JSON) reads this one type, and
 * `--format json` prints it as is, so the comments here are the JSON schema's documentation.
 *
 * Conventions: positions are 1-based `{file, line, col}`; lists are sorted deterministically;
 * values from policies are raw here (renderers escape them).
 */
import type { Diagnostic, Position } from '../diagnostics.js';
import type { Action, Direction, Endpoint, Mode, Prefix, Service } from '../snapshot/model.js';

/** `version` of the JSON document; bumped on any incompatible change. */
export const DIFF_REPORT_VERSION = 1;

export interface DiffReport {
  readonly kind: 'ContrailDiffReport';
  readonly version: typeof DIFF_REPORT_VERSION;
  readonly mode: Mode;
  readonly cluster: string;
  readonly base: Revision;
  readonly head: Revision;
  /** The numbers of the headline. */
  readonly summary: DiffSummary;
  /** Per firewall policy (sorted by name), only those with a change. */
  readonly firewallPolicies: readonly FirewallPolicyDiff[];
  /** Rules that no firewall policy references (a policy CN2 failed to create leaves them behind). */
  readonly unreferencedRules: FirewallPolicyDiff | null;
  readonly tags: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly addressGroups: AddressGroupsDiff;
  /** Order changes of firewall policies inside each application policy set. */
  readonly policySets: readonly PolicySetDiff[];
  readonly connectivity: ConnectivityDiff;
  readonly risks: readonly Risk[];
  /** CN2 divergences (snapshot findings) that the head has and the base has not. */
  readonly divergences: readonly FindingView[];
  /** Errors and warnings about the head's policies (validation, compilation). */
  readonly headDiagnostics: readonly Diagnostic[];
  /** Why part of the comparison could not be made (a side that does not compile); empty normally. */
  readonly problems: readonly string[];
  /** Files under the output folder of the base that differ from a fresh render of the base. */
  readonly staleArtifacts: StaleArtifacts | null;
  /** Unified diff of the rendered firewall-rules.md (fresh renders of both sides); null when equal. */
  readonly renderedDiff: RenderedDiff | null;
}

export interface Revision {
  /** `origin/main (3f2c1a9)`, `working tree`. */
  readonly label: string;
  /** sha256 (hex) of the rendered `contrail/vnc.json`; null when this side does not compile. */
  readonly snapshotSha256: string | null;
}

export interface DiffSummary {
  /** Firewall rules (placements in firewall policies, plus unreferenced ones). */
  readonly rulesAdded: number;
  readonly rulesRemoved: number;
  /** Same rule (same owner and place), different behaviour: see `fields`. */
  readonly rulesChanged: number;
  /** Same behaviour, new name (CN2 names rules by position). */
  readonly rulesRenamed: number;
  /** Same behaviour, same name and relative order, new sequence number. */
  readonly rulesResequenced: number;
  /** Rules whose place relative to the others of their firewall policy changed. */
  readonly rulesMoved: number;
  readonly firewallPoliciesAdded: number;
  readonly firewallPoliciesRemoved: number;
  /** Connectivity edges (grouped flows) that the head allows and the base denies, and the reverse. */
  readonly flowsOpened: number;
  readonly flowsClosed: number;
  readonly risks: number;
  readonly divergences: number;
  readonly headErrors: number;
  /** True when the two snapshots are identical in behaviour and names (renames count as changes). */
  readonly noChange: boolean;
}

/** A firewall rule as both sides show it: the seed's Table 3 columns plus where it comes from. */
export interface RuleView {
  readonly name: string;
  readonly action: Action;
  readonly service: Service;
  readonly endpoint1: Endpoint;
  readonly direction: Direction;
  readonly endpoint2: Endpoint;
  /** `sequence` of the reference in its firewall policy; '' for an unreferenced rule. */
  readonly sequence: string;
  /** `namespace/name` of the NetworkPolicy that made it; absent for cluster-wide rules. */
  readonly policy?: string;
  /** `ingress` or `egress` rule of that NetworkPolicy. */
  readonly policyDirection?: 'ingress' | 'egress';
  /** The part of the NetworkPolicy it stands for. */
  readonly origin?: Position;
}

export type RuleField = 'name' | 'action' | 'service' | 'endpoint1' | 'direction' | 'endpoint2';

export type RuleChange =
  | { readonly kind: 'added'; readonly head: RuleView }
  | { readonly kind: 'removed'; readonly base: RuleView }
  | {
      readonly kind: 'changed';
      readonly base: RuleView;
      readonly head: RuleView;
      /** The fields that differ, in Table 3 column order (`name` included when it changed too). */
      readonly fields: readonly RuleField[];
    };

export interface RenamedRule {
  readonly base: string;
  readonly head: string;
  readonly rule: RuleView;
}

export interface MovedRule {
  /** Head name. */
  readonly name: string;
  /** 0-based place among the rules of the firewall policy, on each side. */
  readonly fromIndex: number;
  readonly toIndex: number;
}

export interface FirewallPolicyDiff {
  readonly name: string;
  readonly status: 'added' | 'removed' | 'changed';
  /** `namespace/name` of the NetworkPolicy it stands for, when it stands for one. */
  readonly policy?: string;
  /** Added, removed and changed rules, in head order (removed ones at their base place). */
  readonly rules: readonly RuleChange[];
  readonly renamed: readonly RenamedRule[];
  /** Rules that kept their name and relative order but got another sequence number (same behaviour). */
  readonly resequenced: number;
  /** Rules that changed place relative to the others (first match: order can matter). */
  readonly moved: readonly MovedRule[];
  /** Whether the order change alone changes a simulated flow; null when not simulated or no move. */
  readonly orderChangesBehaviour: boolean | null;
}

export interface AddressGroupsDiff {
  readonly added: readonly AddressGroupView[];
  readonly removed: readonly AddressGroupView[];
  readonly changed: readonly {
    readonly name: string;
    /** `ip/len` strings. */
    readonly prefixesAdded: readonly string[];
    readonly prefixesRemoved: readonly string[];
  }[];
}

export interface AddressGroupView {
  readonly name: string;
  readonly prefixes: readonly string[];
}

export interface PolicySetDiff {
  /** Application policy set name. */
  readonly name: string;
  readonly status: 'added' | 'removed' | 'changed';
  readonly firewallPoliciesAdded: readonly string[];
  readonly firewallPoliciesRemoved: readonly string[];
  /** Firewall policies that changed place relative to the others. */
  readonly moved: readonly { readonly name: string; readonly fromIndex: number; readonly toIndex: number }[];
  readonly orderChangesBehaviour: boolean | null;
}

/** One side of a flow edge: a pod group of a namespace, or an address range outside the pods. */
export type FlowEndpoint =
  | {
      readonly kind: 'pods';
      readonly namespace: string;
      /** A name for the group: the workload name(s), or the labels that set it apart. */
      readonly group: string;
    }
  | { readonly kind: 'addresses'; readonly cidr: string };

/** The rule that decided a flow on one side, and where it comes from. */
export interface Decision {
  readonly allowed: boolean;
  /** The firewall rule that matched first; absent when none matched (the default applied). */
  readonly rule?: string;
  readonly firewallPolicy?: string;
  /** The NetworkPolicy behind that rule, and its place in a file. */
  readonly policy?: string;
  readonly origin?: Position;
  /** Which end decided: the sender's list or the receiver's. */
  readonly at?: 'sender' | 'receiver';
  /** What decided when no rule matched: `no firewall policy` (allowed) or `no rule matched` (denied). */
  readonly default?: string;
}

export interface FlowChange {
  readonly from: FlowEndpoint;
  readonly to: FlowEndpoint;
  /** Merged `protocol:port` / `protocol:start-end` strings, sorted. */
  readonly ports: readonly string[];
  /** What Contrail does on the head side (for an opened edge: the pass that now matches). */
  readonly head: Decision;
  readonly base: Decision;
  /** What Kubernetes specifies for the same flows, on each side (both policy sets). */
  readonly kubernetes: { readonly base: boolean; readonly head: boolean };
}

export interface ConnectivityDiff {
  /** False when no simulation ran (see `reason`). */
  readonly evaluated: boolean;
  readonly reason?: string;
  /** Probes evaluated per side. */
  readonly probes: number;
  /** True when the repository declares no workloads and the pods were made up from the policies' selectors. */
  readonly synthesized: boolean;
  readonly opened: readonly FlowChange[];
  readonly closed: readonly FlowChange[];
  /** Edges whose Kubernetes verdict changed while Contrail's did not: an intent CN2 will not enforce. */
  readonly notEnforced: readonly FlowChange[];
}

export type RiskKind = 'pass-from-anywhere' | 'egress-outside-cluster' | 'deny-removed' | 'selector-widened';

export interface Risk {
  readonly kind: RiskKind;
  readonly message: string;
  /** The rule (head name, or base name for a removed deny) and firewall policy it is about. */
  readonly rule?: string;
  readonly firewallPolicy?: string;
  readonly policy?: string;
  readonly origin?: Position;
}

export interface FindingView {
  readonly kind: string;
  readonly severity: 'error' | 'warning' | 'notice';
  readonly policy: string;
  readonly message: string;
  readonly origin: Position;
}

export interface StaleArtifacts {
  /** Output folder (repository-relative). */
  readonly dir: string;
  /** Paths (under `dir`) whose committed content differs from a fresh render, is missing, or is extra. */
  readonly changed: readonly string[];
  readonly missing: readonly string[];
  readonly extra: readonly string[];
}

export interface RenderedDiff {
  /** `rendered/firewall-rules.md`. */
  readonly file: string;
  /** Unified diff (from the `---` header); null when too large to compute (see `omitted`). */
  readonly patch: string | null;
  /** Why the patch is absent. */
  readonly omitted?: string;
}

/** Prefix as Contrail and the report write it. */
export const prefixString = (p: Prefix): string => `${p.ip}/${p.len}`;
