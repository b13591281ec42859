/**
 * rendered/cn2/<namespace>.yaml and rendered/cn2/_global.yaml: the snapshot as CN2 custom
 * resources, for `kubectl apply -f`, Argo CD or Flux. A NetworkPolicy's firewall policy and rules
 * go in its namespace's file; cluster-wide objects (tags, address groups, C-denyall / C-allowall /
 * C-Ingress and their rules, the application policy set) in _global.yaml.
 *
 * Kinds and spec fields follow CN2's API group core.contrail.juniper.net as generated from
 * Juniper's Go types (ssd-git.juniper.net/contrail/cn2/contrail/pkg/apis/core, as published in
 * github.com/michaelhenkel/controller-rs, src/ssd_git/contrail/cn2/contrail/pkg/apis/core/v4):
 * TagSpec {fqName, tagTypeName, tagValue}; AddressGroupSpec {fqName, addressGroupPrefixes};
 * FirewallRuleSpec {fqName, actionList, service, endpoint1, endpoint2, direction};
 * FirewallRuleEndpointType {tags | addressGroup | any}; FirewallServiceType {protocol, srcPorts,
 * dstPorts}; FirewallPolicySpec {fqName, firewallRuleReferences}; ApplicationPolicySetSpec
 * {fqName, tagReferences, firewallPolicyReferences}; a reference is a ResourceReference
 * {apiVersion, kind, name, namespace, fqName} plus `attributes: {sequence}` where it is sequenced.
 * Not verified there, so written as the VNC schema in camelCase: the members of
 * addressGroupPrefixes (`subnet: [{ipPrefix, ipPrefixLen}]`), of actionList (`simpleAction`) and
 * of a port range (`startPort`, `endPort`). The spec has no `parent` field in those types; the
 * parent is the first element of fqName. Global objects are written without a namespace.
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
  type Snapshot,
  type Tag,
} from '../snapshot/model.js';
import { generatedHeader } from './header.js';
import { kubernetesNames } from './k8s-name.js';
import { createYamlDumper } from './yaml-block.js';

export const GLOBAL_FILE = '_global';

type Kind = 'Tag' | 'AddressGroup' | 'FirewallRule' | 'FirewallPolicy' | 'ApplicationPolicySet';

interface Placed {
  readonly kind: Kind;
  readonly contrailName: string;
  /** Kubernetes namespace, or undefined for _global.yaml. */
  readonly namespace?: string;
  readonly spec: (ref: RefMaker) => Record<string, unknown>;
}

type RefMaker = (kind: Kind, contrailName: string) => Record<string, unknown>;

/** `namespace/name` -> namespace (namespaces cannot contain '/'). */
function namespaceOf(policyKey: string): string {
  return policyKey.slice(0, policyKey.indexOf('/'));
}

/**
 * Where each rule lives: with the NetworkPolicy whose firewall policy references it; else with the
 * cluster policy that references it; else (an unreferenced rule a failed policy left) with the
 * policy it came from.
 */
function ruleNamespaces(s: Snapshot): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const policies = [...s.policies].sort((a, b) => Number(!a.policy) - Number(!b.policy) || cmp(a.name, b.name));
  for (const fp of policies) {
    for (const ref of fp.rules) if (!out.has(ref.name)) out.set(ref.name, fp.policy ? namespaceOf(fp.policy) : undefined);
  }
  for (const r of s.rules) if (!out.has(r.name)) out.set(r.name, r.source?.policy ? namespaceOf(r.source.policy) : undefined);
  return out;
}

function place(s: Snapshot): Placed[] {
  const ruleNs = ruleNamespaces(s);
  return [
    ...s.tags.map((t): Placed => ({ kind: 'Tag', contrailName: t.name, spec: () => tagSpec(t) })),
    ...s.addressGroups.map((g): Placed => ({ kind: 'AddressGroup', contrailName: g.name, spec: () => addressGroupSpec(g) })),
    ...s.rules.map((r): Placed => ({ kind: 'FirewallRule', contrailName: r.name, namespace: ruleNs.get(r.name), spec: () => ruleSpec(r) })),
    ...s.policies.map(
      (p): Placed => ({ kind: 'FirewallPolicy', contrailName: p.name, namespace: p.policy ? namespaceOf(p.policy) : undefined, spec: (ref) => policySpec(p, ref) }),
    ),
    ...s.policySets.map((a): Placed => ({ kind: 'ApplicationPolicySet', contrailName: a.name, spec: (ref) => policySetSpec(a, ref) })),
  ];
}

const KIND_ORDER: readonly Kind[] = ['Tag', 'AddressGroup', 'FirewallRule', 'FirewallPolicy', 'ApplicationPolicySet'];

/** path (relative to the output folder) -> multi-document YAML. */
export function renderCn2Resources(s: Snapshot, apiVersion: string): Map<string, string> {
  const objects = place(s).sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || cmp(a.contrailName, b.contrailName));

  // Kubernetes names are unique per kind and namespace.
  const k8sNames = new Map<string, Map<string, string>>();
  const scope = (kind: Kind, namespace: string | undefined) => `${kind}/${namespace ?? ''}`;
  const namesInScope = new Map<string, string[]>();
  for (const o of objects) {
    const key = scope(o.kind, o.namespace);
    const names = namesInScope.get(key);
    if (names) names.push(o.contrailName);
    else namesInScope.set(key, [o.contrailName]);
  }
  for (const [key, names] of namesInScope) k8sNames.set(key, kubernetesNames(names));
  const where = new Map(objects.map((o) => [`${o.kind}/${o.contrailName}`, o.namespace]));
  const nameOf = (kind: Kind, contrailName: string): string => {
    const ns = where.get(`${kind}/${contrailName}`);
    const name = k8sNames.get(scope(kind, ns))?.get(contrailName);
    if (!name) throw new Error(`${kind} ${contrailName} is referenced but not in the snapshot`);
    return name;
  };
  const ref: RefMaker = (kind, contrailName) => {
    const ns = where.get(`${kind}/${contrailName}`);
    return {
      apiVersion,
      kind,
      name: nameOf(kind, contrailName),
      ...(ns !== undefined ? { namespace: ns } : {}),
      fqName: kind === 'Tag' ? [contrailName] : [POLICY_MANAGEMENT, contrailName],
    };
  };

  const yaml = createYamlDumper();
  const docsByFile = new Map<string, string[]>();
  for (const o of objects) {
    const file = `cn2/${o.namespace ?? GLOBAL_FILE}.yaml`;
    const doc = {
      apiVersion,
      kind: o.kind,
      metadata: { name: nameOf(o.kind, o.contrailName), ...(o.namespace !== undefined ? { namespace: o.namespace } : {}) },
      spec: o.spec(ref),
    };
    const docs = docsByFile.get(file);
    if (docs) docs.push(yaml.dump(doc));
    else docsByFile.set(file, [yaml.dump(doc)]);
  }
  const header = generatedHeader(s, '#');
  const out = new Map<string, string>();
  for (const file of [...docsByFile.keys()].sort(cmp)) out.set(file, `${header}---\n${docsByFile.get(file)!.join('---\n')}`);
  return out;
}

function tagSpec(t: Tag): Record<string, unknown> {
  return { fqName: [t.name], tagTypeName: t.type, tagValue: t.value };
}

function addressGroupSpec(g: AddressGroup): Record<string, unknown> {
  return {
    fqName: [POLICY_MANAGEMENT, g.name],
    addressGroupPrefixes: { subnet: g.prefixes.map((p) => ({ ipPrefix: p.ip, ipPrefixLen: p.len })) },
  };
}

function ports(p: PortRange): Record<string, number> {
  return { startPort: p.start, endPort: p.end };
}

function endpoint(e: Endpoint): Record<string, unknown> {
  if ('tags' in e) return { tags: [...e.tags] };
  if ('addressGroup' in e) return { addressGroup: `${POLICY_MANAGEMENT}:${e.addressGroup}` };
  return { any: true };
}

function ruleSpec(r: FirewallRule): Record<string, unknown> {
  return {
    fqName: [POLICY_MANAGEMENT, r.name],
    actionList: { simpleAction: r.action },
    service: {
      protocol: r.service.protocol,
      ...(r.service.srcPorts ? { srcPorts: ports(r.service.srcPorts) } : {}),
      dstPorts: ports(r.service.dstPorts),
    },
    endpoint1: endpoint(r.endpoint1),
    endpoint2: endpoint(r.endpoint2),
    direction: r.direction,
  };
}

function policySpec(p: FirewallPolicy, ref: RefMaker): Record<string, unknown> {
  return {
    fqName: [POLICY_MANAGEMENT, p.name],
    firewallRuleReferences: p.rules.map((r) => ({ ...ref('FirewallRule', r.name), attributes: { sequence: r.sequence } })),
  };
}

function policySetSpec(a: ApplicationPolicySet, ref: RefMaker): Record<string, unknown> {
  return {
    fqName: [POLICY_MANAGEMENT, a.name],
    tagReferences: a.tags.map((t) => ref('Tag', t)),
    firewallPolicyReferences: a.policies.map((p) => ({ ...ref('FirewallPolicy', p.name), attributes: { sequence: p.sequence } })),
  };
}
