/** Hand-built snapshots for unit tests of the diff and the report (the compiler makes real ones). */
import type { Action, Endpoint, FirewallRule, Snapshot, Tag } from '../../src/snapshot/model.js';
import { sequenceString } from '../../src/snapshot/model.js';
import { fakeOrigin } from '../support/origin.js';

/** Deployments in namespace `default`, one per role, labelled `role: <role>`, as one multi-document YAML file. */
export const deployments = (...roles: string[]): string =>
  roles
    .map(
      (role) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${role}, namespace: default}
spec:
  selector: {matchLabels: {role: ${role}}}
  template:
    metadata: {labels: {role: ${role}}}
    spec: {containers: [{name: c, image: x}]}
`,
    )
    .join('---\n');

export const tags = (...t: string[]): Endpoint => ({ tags: t });
export const ag = (name: string): Endpoint => ({ addressGroup: name });
export const any: Endpoint = { any: true };

export interface RuleSpec {
  action?: Action;
  protocol?: string;
  port?: number | [number, number];
  ep1: Endpoint;
  ep2: Endpoint;
  policy?: string;
  direction?: 'ingress' | 'egress';
  /** Origin path inside the NetworkPolicy, e.g. ['spec', 'ingress', 0, 'from', 1]. */
  path?: (string | number)[];
  file?: string;
}

export function rule(name: string, s: RuleSpec): FirewallRule {
  const [start, end] = s.port === undefined ? [0, 65535] : typeof s.port === 'number' ? [s.port, s.port] : s.port;
  return {
    name,
    action: s.action ?? 'pass',
    service: { protocol: s.protocol ?? (s.port === undefined ? 'any' : 'tcp'), dstPorts: { start, end } },
    endpoint1: s.ep1,
    endpoint2: s.ep2,
    direction: '>',
    source: {
      policy: s.policy ?? 'default/web',
      direction: s.direction ?? 'ingress',
      origin: fakeOrigin(s.path ?? ['spec', 'ingress', 0], s.file ?? 'policies/web.yaml'),
    },
  };
}

export interface SnapshotSpec {
  /** Firewall policy name -> its rules in order. */
  policies: Record<string, FirewallRule[]>;
  /** Policy set order (default: the policies' names sorted). */
  order?: string[];
  addressGroups?: Record<string, string[]>;
  tags?: string[];
  unreferenced?: FirewallRule[];
  findings?: Snapshot['findings'];
}

export function snapshot(s: SnapshotSpec): Snapshot {
  const names = Object.keys(s.policies).sort();
  const rules = [...Object.values(s.policies).flat(), ...(s.unreferenced ?? [])];
  const uniqueRules = [...new Map(rules.map((r) => [r.name, r])).values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tagNames = s.tags ?? [...new Set(rules.flatMap((r) => [r.endpoint1, r.endpoint2].flatMap((e) => ('tags' in e ? e.tags : []))))].sort();
  return {
    mode: 'cn2',
    cluster: 'k8s',
    generator: 'contrail-gitops test',
    tags: tagNames.map((n): Tag => ({ name: n, type: n.split('=')[0], value: n.split('=').slice(1).join('=') })),
    addressGroups: Object.entries(s.addressGroups ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, prefixes]) => ({ name, prefixes: prefixes.map((p) => ({ ip: p.split('/')[0], len: Number(p.split('/')[1]) })) })),
    rules: uniqueRules,
    policies: names.map((name) => ({
      name,
      rules: s.policies[name].map((r, i) => ({ name: r.name, sequence: sequenceString(i) })),
    })),
    policySets: [
      { name: 'k8s', tags: ['application=k8s'], policies: (s.order ?? names).map((name, i) => ({ name, sequence: sequenceString(i + 1) })) },
    ],
    findings: s.findings ?? [],
  };
}
