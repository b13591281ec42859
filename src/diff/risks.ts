/**
 * Risk flags: the changes a security reviewer must not miss, found on the rule diff. A rule that
 * was already as open on the base is not flagged again: a changed rule is flagged only when the
 * change itself widens what it matches.
 */
import { cmp } from '../diagnostics.js';
import { type Cidr, cidrContains, parseCidr } from '../net/ip.js';
import type { AddressGroup, Endpoint, Service, Snapshot } from '../snapshot/model.js';
import { addressGroupName, formatEndpoint, formatService } from './format.js';
import { UNREFERENCED } from './rules.js';
import type { FirewallPolicyDiff, Risk, RuleChange, RuleView } from './types.js';

export interface RiskContext {
  readonly base: Snapshot;
  readonly head: Snapshot;
  /** The pod network (configuration): egress to an address outside it leaves the cluster. */
  readonly podCIDR: string;
}

type Groups = ReadonlyMap<string, readonly Cidr[]>;

function addressGroups(s: Snapshot): Map<string, Cidr[]> {
  return new Map(
    s.addressGroups.map((g: AddressGroup) => [g.name, g.prefixes.map((p) => parseCidr(`${p.ip}/${p.len}`)).filter((c): c is Cidr => !!c)]),
  );
}

/** The endpoint(s) that may open a connection under the rule's direction. */
function initiators(r: RuleView): Endpoint[] {
  return r.direction === '>' ? [r.endpoint1] : r.direction === '<' ? [r.endpoint2] : [r.endpoint1, r.endpoint2];
}

function responders(r: RuleView): Endpoint[] {
  return r.direction === '>' ? [r.endpoint2] : r.direction === '<' ? [r.endpoint1] : [r.endpoint1, r.endpoint2];
}

const isEverywhere = (e: Endpoint, groups: Groups): boolean =>
  'any' in e || ('addressGroup' in e && (groups.get(addressGroupName(e.addressGroup)) ?? []).some((c) => c.len === 0));

/** `any`, or an address group with a prefix outside the pod network. */
function reachesOutside(e: Endpoint, groups: Groups, podNet: Cidr | undefined): boolean {
  if ('any' in e) return true;
  if (!('addressGroup' in e)) return false;
  return (groups.get(addressGroupName(e.addressGroup)) ?? []).some((c) => !podNet || !cidrContains(podNet, c));
}

/** Does endpoint `a` match nothing that `b` does not (on the given address groups)? */
function endpointWithin(a: Endpoint, ga: Groups, b: Endpoint, gb: Groups): boolean {
  if ('any' in b) return true;
  if ('any' in a) return false;
  if ('tags' in a && 'tags' in b) return b.tags.every((t) => a.tags.includes(t));
  if ('addressGroup' in a && 'addressGroup' in b) {
    const outer = gb.get(addressGroupName(b.addressGroup)) ?? [];
    return (ga.get(addressGroupName(a.addressGroup)) ?? []).every((c) => outer.some((o) => cidrContains(o, c)));
  }
  return false;
}

/** `now` matches every workload `was` (a tag set) matches, and more: `any`, or fewer tags. */
function isWider(now: Endpoint, was: { readonly tags: readonly string[] }): boolean {
  if ('any' in now) return true;
  return 'tags' in now && now.tags.length < was.tags.length && now.tags.every((t) => was.tags.includes(t));
}

function serviceWithin(a: Service, b: Service): boolean {
  if (b.protocol === 'any') return true;
  if (a.protocol !== b.protocol) return false;
  const range = (s: Service) => s.srcPorts ?? { start: 0, end: 65535 };
  return (
    a.dstPorts.start >= b.dstPorts.start &&
    a.dstPorts.end <= b.dstPorts.end &&
    range(a).start >= range(b).start &&
    range(a).end <= range(b).end
  );
}

/** Does rule `a` (on groups `ga`) match only flows that rule `b` matches? (Same direction assumed.) */
function ruleWithin(a: RuleView, ga: Groups, b: RuleView, gb: Groups): boolean {
  return (
    a.direction === b.direction &&
    serviceWithin(a.service, b.service) &&
    endpointWithin(a.endpoint1, ga, b.endpoint1, gb) &&
    endpointWithin(a.endpoint2, ga, b.endpoint2, gb)
  );
}

const where = (r: RuleView, fp: string): Pick<Risk, 'rule' | 'firewallPolicy' | 'policy' | 'origin'> => ({
  rule: r.name,
  firewallPolicy: fp,
  ...(r.policy !== undefined ? { policy: r.policy } : {}),
  ...(r.origin ? { origin: r.origin } : {}),
});

/** `Address Group: 0.0.0.0/0 > role=db && namespace=default (tcp:443)`. */
const describe = (r: RuleView): string =>
  `${formatEndpoint(r.endpoint1)} ${r.direction} ${formatEndpoint(r.endpoint2)} (${formatService(r.service)})`;

export function findRisks(diffs: readonly FirewallPolicyDiff[], ctx: RiskContext): Risk[] {
  const gBase = addressGroups(ctx.base);
  const gHead = addressGroups(ctx.head);
  const podNet = parseCidr(ctx.podCIDR);
  const risks: Risk[] = [];
  const seenSelectors = new Set<string>();

  for (const fp of diffs) {
    const fpName = fp.name === UNREFERENCED ? '' : fp.name;
    for (const change of fp.rules) {
      const head = change.kind === 'removed' ? undefined : change.head;
      const base = change.kind === 'added' ? undefined : change.base;

      // What the head now passes that the base did not (for a changed rule: only if it widened).
      const newPass =
        head?.action === 'pass' &&
        head.policy !== undefined &&
        (!base || base.action !== 'pass' || !ruleWithin(head, gHead, base, gBase));
      if (newPass && head) {
        if (initiators(head).some((e) => isEverywhere(e, gHead))) {
          risks.push({
            kind: 'pass-from-anywhere',
            message: `${verb(change)} pass rule ${head.name} accepts connections from anywhere: ${describe(head)}`,
            ...where(head, fpName),
          });
        }
        const podsInitiate = initiators(head).some((e) => 'tags' in e);
        if (podsInitiate && responders(head).some((e) => reachesOutside(e, gHead, podNet))) {
          risks.push({
            kind: 'egress-outside-cluster',
            message: `${verb(change)} pass rule ${head.name} lets pods connect outside the cluster (pod network ${ctx.podCIDR}): ${describe(head)}`,
            ...where(head, fpName),
          });
        }
      }

      if (base?.action === 'deny') {
        if (!head) {
          risks.push({ kind: 'deny-removed', message: `Deny rule ${base.name} is removed: ${describe(base)}`, ...where(base, fpName) });
        } else if (head.action !== 'deny') {
          risks.push({
            kind: 'deny-removed',
            message: `Deny rule ${base.name} now passes: ${describe(head)}`,
            ...where(head, fpName),
          });
        }
      }

      if (change.kind === 'changed' && change.head.action === 'pass') {
        for (const side of ['endpoint1', 'endpoint2'] as const) {
          const was = change.base[side];
          const now = change.head[side];
          // Wider: `any` now, or a strict subset of the tags (fewer labels to match). A different
          // selector is a change, not a widening; what it opens shows in the connectivity section.
          if (!('tags' in was) || !isWider(now, was)) continue;
          const key = `${fpName}\u0000${formatEndpoint(was)}\u0000${formatEndpoint(now)}`;
          if (seenSelectors.has(key)) continue;
          seenSelectors.add(key);
          risks.push({
            kind: 'selector-widened',
            message: `A selector now matches more pods: ${formatEndpoint(was)} -> ${formatEndpoint(now)} (rule ${change.head.name})`,
            ...where(change.head, fpName),
          });
        }
      }
    }
  }
  return sortRisks(risks);
}

/** Risk flags in report order: by kind, then where they point. */
export function sortRisks(risks: readonly Risk[]): Risk[] {
  return [...risks].sort(compareRisks);
}

const verb = (c: RuleChange): string => (c.kind === 'added' ? 'New' : 'Changed');

const RISK_ORDER: Record<Risk['kind'], number> = {
  'pass-from-anywhere': 0,
  'egress-outside-cluster': 1,
  'deny-removed': 2,
  'selector-widened': 3,
};

function compareRisks(a: Risk, b: Risk): number {
  return (
    RISK_ORDER[a.kind] - RISK_ORDER[b.kind] ||
    cmp(a.origin?.file ?? '', b.origin?.file ?? '') ||
    (a.origin?.line ?? 0) - (b.origin?.line ?? 0) ||
    cmp(a.firewallPolicy ?? '', b.firewallPolicy ?? '') ||
    cmp(a.rule ?? '', b.rule ?? '') ||
    cmp(a.message, b.message)
  );
}
