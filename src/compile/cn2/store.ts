/**
 * A model of Contrail's config API as kube-manager drives it: named objects that are created, or
 * updated when the name exists (kube-manager catches RefsExistError and updates), and the three
 * validations of the config API server that reject what kube-manager sends for some policies.
 * A rejection stops the policy being translated; what was created before it stays, exactly as in
 * a cluster. Everything here is keyed by name because that is Contrail's identity (fq_name).
 */
import type { Origin } from '../../model/source.js';
import type { AddressGroup, Endpoint, FirewallRule, RuleSource, SequencedRef, Service, Tag } from '../../snapshot/model.js';
import { sequenceString } from '../../snapshot/model.js';

/** What kube-manager asks for: like a FirewallRule, but a port may still be a name (a named port). */
export interface DraftRule {
  readonly name: string;
  readonly action: FirewallRule['action'];
  readonly service: DraftService;
  readonly endpoint1: Endpoint;
  readonly endpoint2: Endpoint;
  readonly source: RuleSource;
}

export interface DraftService {
  readonly protocol: string;
  readonly start: number | string;
  readonly end: number | string;
  /** The `ports[k]` entry it came from (absent: the rule has no ports). */
  readonly origin?: Origin;
}

export type RejectionKind = 'uppercase-label-key' | 'ipv6-ipblock' | 'named-port';

/** The config API refused an object: the policy being translated stops here. */
export class ConfigApiRejection extends Error {
  constructor(
    readonly kind: RejectionKind,
    /** The object the API refused, as CN2 names it: `App=db`, `2001:db8::/32`, a rule name. */
    readonly objectName: string,
    /** The field of the NetworkPolicy that made it. */
    readonly origin: Origin,
    /** The value that is refused: the label key, the CIDR, the port name. */
    readonly value: string,
  ) {
    super(`${kind}: ${objectName}`);
    this.name = 'ConfigApiRejection';
  }
}

export interface StoredPolicy {
  readonly name: string;
  refs: SequencedRef[];
  /** `namespace/name` of the NetworkPolicy that last wrote it. */
  policy?: string;
  /** kube-manager's `spec` annotation: the spec as received, compared to decide whether to rewrite. */
  spec?: string;
}

export interface RuleWrite {
  /** The rule that was there under the same name with other content (it is replaced). */
  readonly replaced?: FirewallRule;
  readonly existed: boolean;
}

export class ConfigStore {
  readonly tags = new Map<string, Tag>();
  readonly addressGroups = new Map<string, AddressGroup>();
  readonly rules = new Map<string, FirewallRule>();
  readonly policies = new Map<string, StoredPolicy>();

  /**
   * vnc_tags.create: the API server lower-cases the tag type, so a name with an upper-case type no
   * longer matches the type and the create fails.
   */
  createTag(type: string, value: string, origin?: Origin): string {
    const name = `${type}=${value}`;
    if (type !== type.toLowerCase()) {
      // Only labels can be upper-case: cluster and namespace names are DNS labels.
      if (!origin) throw new Error(`tag ${name} has an upper-case type and no policy field to blame`);
      throw new ConfigApiRejection('uppercase-label-key', name, origin, type);
    }
    if (!this.tags.has(name)) this.tags.set(name, { name, type, value });
    return name;
  }

  /** FWRule.create_address_group: named by the CIDR; the API server refuses ':' in any name. */
  createAddressGroup(cidr: string, origin: Origin): string {
    if (cidr.includes(':')) throw new ConfigApiRejection('ipv6-ipblock', cidr, origin, cidr);
    const [ip, len] = cidr.split('/');
    this.addressGroups.set(cidr, { name: cidr, prefixes: [{ ip, len: Number(len) }] });
    return cidr;
  }

  /** firewall_rule_create, or firewall_rule_update when the name exists: the later content wins. */
  writeRule(draft: DraftRule): RuleWrite {
    const service = checkedService(draft);
    const rule: FirewallRule = {
      name: draft.name,
      action: draft.action,
      service,
      endpoint1: draft.endpoint1,
      endpoint2: draft.endpoint2,
      direction: '>',
      source: draft.source,
    };
    const before = this.rules.get(draft.name);
    this.rules.set(draft.name, rule);
    if (!before) return { existed: false };
    return sameEnforcement(before, rule) ? { existed: true } : { existed: true, replaced: before };
  }

  /** delete_firewall_rule: the rule goes, and so do its address groups once nothing else uses them. */
  deleteRule(name: string): void {
    const rule = this.rules.get(name);
    if (!rule) return;
    this.rules.delete(name);
    for (const ag of [rule.endpoint1, rule.endpoint2].flatMap((e) => ('addressGroup' in e ? [e.addressGroup] : []))) {
      const stillUsed = [...this.rules.values()].some((r) => usesAddressGroup(r, ag));
      if (!stillUsed) this.addressGroups.delete(ag);
    }
  }

  policy(name: string): StoredPolicy {
    let p = this.policies.get(name);
    if (!p) {
      p = { name, refs: [] };
      this.policies.set(name, p);
    }
    return p;
  }

  /**
   * VncSecurityPolicy.add_firewall_rule: appended after the highest sequence (from 00001.0); a rule
   * that is already there stays where it is.
   */
  appendRule(policyName: string, ruleName: string): void {
    const p = this.policy(policyName);
    // C-denyall collects two rules per NetworkPolicy: index it, or 10,000 policies cost 10^8 steps.
    let index = this.appendIndex.get(policyName);
    if (!index || index.refs !== p.refs || index.count !== p.refs.length) {
      index = {
        refs: p.refs,
        count: p.refs.length,
        names: new Set(p.refs.map((r) => r.name)),
        last: p.refs.reduce((max, r) => Math.max(max, Number(r.sequence)), 0),
      };
      this.appendIndex.set(policyName, index);
    }
    if (index.names.has(ruleName)) return;
    index.last += 1;
    index.names.add(ruleName);
    index.count += 1;
    p.refs.push({ name: ruleName, sequence: sequenceString(index.last) });
  }

  private readonly appendIndex = new Map<string, { refs: SequencedRef[]; count: number; names: Set<string>; last: number }>();
}

/**
 * vnc_api's generated `add_firewall_rule`: a second ref to the same rule updates the attr of the
 * first in place (its position stays, its sequence becomes the later one).
 */
export function addRef(refs: SequencedRef[], positions: Map<string, number>, name: string, sequence: string): void {
  const i = positions.get(name);
  if (i !== undefined) refs[i] = { name, sequence };
  else {
    positions.set(name, refs.length);
    refs.push({ name, sequence });
  }
}

function checkedService(draft: DraftRule): Service {
  const { protocol, start, end, origin } = draft.service;
  if (typeof start !== 'number' || typeof end !== 'number') {
    // The API server validates PortType.start_port as an integer: "integer value expected instead of <name>".
    throw new ConfigApiRejection('named-port', draft.name, origin ?? draft.source.origin!, String(start));
  }
  return { protocol, dstPorts: { start, end } };
}

function usesAddressGroup(r: FirewallRule, ag: string): boolean {
  return [r.endpoint1, r.endpoint2].some((e) => 'addressGroup' in e && e.addressGroup === ag);
}

function sameEnforcement(a: FirewallRule, b: FirewallRule): boolean {
  const { source: _a, ...ea } = a;
  const { source: _b, ...eb } = b;
  return JSON.stringify(ea) === JSON.stringify(eb);
}
