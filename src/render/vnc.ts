/**
 * rendered/contrail/vnc.json: the snapshot as Contrail VNC REST create bodies (spec/snapshot.md).
 * Field names and nesting follow the VNC schema (firewall_policy.xsd, tag.xsd); keys are written in
 * the schema's order; API-owned fields (uuid, tag_refs on rules, match_tag_types, ...) never.
 * POSTing `objects` in order to an empty Contrail creates the configuration.
 */
import { cmp } from '../diagnostics.js';
import {
  type AddressGroup,
  type ApplicationPolicySet,
  type Endpoint,
  type FirewallPolicy,
  type FirewallRule,
  POLICY_MANAGEMENT,
  type PortRange,
  type Service,
  type Snapshot,
  type Tag,
} from '../snapshot/model.js';

export type VncObject =
  | { tag: Record<string, unknown> }
  | { 'address-group': Record<string, unknown> }
  | { 'firewall-rule': Record<string, unknown> }
  | { 'firewall-policy': Record<string, unknown> }
  | { 'application-policy-set': Record<string, unknown> };

const PARENT_TYPE = 'policy-management';

/** Child objects of the global policy management: fq_name [default-policy-management, name]. */
function fqName(name: string): string[] {
  return [POLICY_MANAGEMENT, name];
}

/** In creation order: tags, address groups, firewall rules, firewall policies, APS; each by fq_name. */
export function vncObjects(s: Snapshot): VncObject[] {
  const sorted = <T extends { name: string }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => cmp(a.name, b.name));
  return [
    ...sorted(s.tags).map((t) => ({ tag: tagBody(t) })),
    ...sorted(s.addressGroups).map((g) => ({ 'address-group': addressGroupBody(g) })),
    ...sorted(s.rules).map((r) => ({ 'firewall-rule': ruleBody(r) })),
    ...sorted(s.policies).map((p) => ({ 'firewall-policy': policyBody(p) })),
    ...sorted(s.policySets).map((a) => ({ 'application-policy-set': policySetBody(a) })),
  ];
}

export function renderVncJson(s: Snapshot): string {
  const doc = {
    kind: 'ContrailSnapshot',
    version: 1,
    generator: s.generator,
    mode: s.mode,
    cluster: s.cluster,
    objects: vncObjects(s),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function tagBody(t: Tag): Record<string, unknown> {
  return { fq_name: [t.name], tag_type_name: t.type, tag_value: t.value };
}

function addressGroupBody(g: AddressGroup): Record<string, unknown> {
  return {
    fq_name: fqName(g.name),
    parent_type: PARENT_TYPE,
    address_group_prefix: { subnet: g.prefixes.map((p) => ({ ip_prefix: p.ip, ip_prefix_len: p.len })) },
  };
}

function ruleBody(r: FirewallRule): Record<string, unknown> {
  return {
    fq_name: fqName(r.name),
    parent_type: PARENT_TYPE,
    action_list: { simple_action: r.action },
    service: serviceBody(r.service),
    endpoint_1: endpointBody(r.endpoint1),
    endpoint_2: endpointBody(r.endpoint2),
    direction: r.direction,
  };
}

/** FirewallServiceType: protocol, src_ports (only when not the full range), dst_ports. */
function serviceBody(s: Service): Record<string, unknown> {
  return {
    protocol: s.protocol,
    ...(s.srcPorts ? { src_ports: portsBody(s.srcPorts) } : {}),
    dst_ports: portsBody(s.dstPorts),
  };
}

function portsBody(p: PortRange): Record<string, number> {
  return { start_port: p.start, end_port: p.end };
}

/** FirewallRuleEndpointType: exactly one of tags, address_group (colon-joined fq_name), any. */
export function endpointBody(e: Endpoint): Record<string, unknown> {
  if ('tags' in e) return { tags: [...e.tags] };
  if ('addressGroup' in e) return { address_group: fqName(e.addressGroup).join(':') };
  return { any: true };
}

function policyBody(p: FirewallPolicy): Record<string, unknown> {
  return {
    fq_name: fqName(p.name),
    parent_type: PARENT_TYPE,
    firewall_rule_refs: p.rules.map((r) => ({ to: fqName(r.name), attr: { sequence: r.sequence } })),
  };
}

function policySetBody(a: ApplicationPolicySet): Record<string, unknown> {
  return {
    fq_name: fqName(a.name),
    parent_type: PARENT_TYPE,
    tag_refs: a.tags.map((t) => ({ to: [t] })),
    firewall_policy_refs: a.policies.map((p) => ({ to: fqName(p.name), attr: { sequence: p.sequence } })),
  };
}
