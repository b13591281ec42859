/**
 * Random repositories for mode `exact`'s proof: namespaces, pods and NetworkPolicies over every
 * construct the mode supports (ingress and egress, isolation on both ends of a flow, several
 * policies per pod, ipBlock with except in IPv4 and IPv6, pods inside and outside ipBlocks, ports
 * by number, name and range in TCP, UDP and SCTP, In with several values, empty and combined
 * selectors, and, with `inventoryComplete`, NotIn / Exists / DoesNotExist).
 *
 * A repository is manifests (plain objects), so a failing case prints as YAML and becomes a
 * regression test that goes through the real front end.
 */
import fc from 'fast-check';
import * as yaml from 'js-yaml';
import { compile } from '../../../src/compile/index.js';
import { DEFAULT_CONFIG } from '../../../src/config/types.js';
import { formatDiagnostic } from '../../../src/diagnostics.js';
import { readPolicySet } from '../../../src/frontend.js';
import { memorySource } from '../../../src/load/memory-source.js';
import type { PolicySet } from '../../../src/model/policy.js';
import { buildInventory } from '../../../src/simulate/inventory.js';
import { verify, type VerifyResult } from '../../../src/simulate/verify.js';
import type { Snapshot } from '../../../src/snapshot/model.js';

type Obj = Record<string, unknown>;

export interface Repo {
  readonly inventoryComplete: boolean;
  readonly manifests: readonly Obj[];
}

const NAMESPACES = ['ns1', 'ns2', 'ns3'];

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const dict = (entries: [string, string][]): Record<string, string> => Object.fromEntries(entries);

/** Pod labels: app, tier, and rarely an `application` label (which replaces the cluster's tag). */
const podLabels = fc
  .record(
    { app: pick('a', 'b', 'c'), tier: pick('x', 'y'), application: pick('shop') },
    { requiredKeys: [] },
  )
  .filter((l) => l.application === undefined || Object.keys(l).length > 1);

const nsLabels = fc.record({ team: pick('x', 'y'), env: pick('prod', 'dev') }, { requiredKeys: [] });

/** Every pod serves http (on 80 or 8080); some also dns (UDP), sig (SCTP) or an unnamed 443. */
const containerPorts = fc
  .tuple(
    pick({ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 8080 }),
    fc.subarray([{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'sig', containerPort: 9000, protocol: 'SCTP' }, { containerPort: 443 }]),
  )
  .map(([http, rest]) => [http, ...rest]);

/** Some pods have an address: inside the pod network, or outside it (192.168.1.0/24). */
const podIP = fc.option(pick('10.244.5.10', '10.244.5.11', '192.168.1.10', '192.168.1.11', '192.168.1.12'), { freq: 3 });

const podArb = fc.record({ ns: pick(...NAMESPACES), labels: podLabels, ports: containerPorts, ip: podIP });

const requirement = (inventoryComplete: boolean, keys: string[], values: string[]) =>
  fc.oneof(
    fc.record({ key: pick(...keys), operator: fc.constant('In'), values: fc.uniqueArray(pick(...values), { minLength: 1, maxLength: 2 }) }),
    ...(inventoryComplete
      ? [
          fc.record({ key: pick(...keys), operator: fc.constant('NotIn'), values: fc.uniqueArray(pick(...values), { minLength: 1, maxLength: 2 }) }),
          fc.record({ key: pick(...keys), operator: pick('Exists', 'DoesNotExist') }),
        ]
      : []),
  );

const podSelector = (inventoryComplete: boolean) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant({}) },
    { weight: 3, arbitrary: fc.record({ app: pick('a', 'b', 'c'), tier: pick('x', 'y') }, { requiredKeys: [] }).map((m) => ({ matchLabels: m })) },
    { weight: 2, arbitrary: requirement(inventoryComplete, ['app', 'tier'], ['a', 'b', 'x']).map((r) => ({ matchExpressions: [r] })) },
  );

const namespaceSelector = (inventoryComplete: boolean) =>
  fc.oneof(
    fc.constant({}),
    pick('x', 'y').map((team) => ({ matchLabels: { team } })),
    pick(...NAMESPACES).map((ns) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } })),
    requirement(inventoryComplete, ['team', 'env'], ['x', 'prod']).map((r) => ({ matchExpressions: [r] })),
    // A key pods use: exact only when resolved to the namespaces' own tags.
    fc.constant({ matchLabels: { app: 'a' } }),
  );

const IP_BLOCKS: Obj[] = [
  { cidr: '0.0.0.0/0' },
  { cidr: '0.0.0.0/0', except: ['10.244.0.0/16'] },
  { cidr: '10.244.0.0/16' },
  { cidr: '10.244.5.0/24', except: ['10.244.5.11/32'] },
  { cidr: '172.17.0.0/16', except: ['172.17.1.0/24', '172.17.4.0/22'] },
  { cidr: '192.168.1.0/24', except: ['192.168.1.11/32'] },
  { cidr: '192.168.0.0/16' },
  { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] },
  { cidr: '::/0' },
];

const peer = (inventoryComplete: boolean) =>
  fc.oneof(
    podSelector(inventoryComplete).map((podSelector) => ({ podSelector })),
    namespaceSelector(inventoryComplete).map((namespaceSelector) => ({ namespaceSelector })),
    fc.record({ namespaceSelector: namespaceSelector(inventoryComplete), podSelector: podSelector(inventoryComplete) }),
    pick(...IP_BLOCKS).map((ipBlock) => ({ ipBlock })),
  );

const port = pick<Obj>(
  { protocol: 'TCP', port: 80 },
  { port: 8080, endPort: 8090 },
  { protocol: 'UDP', port: 53 },
  { protocol: 'SCTP', port: 9000 },
  { port: 'http' },
  { protocol: 'UDP', port: 'dns' },
  { protocol: 'SCTP', port: 'sig' },
  { protocol: 'TCP' },
  { protocol: 'UDP' },
);

const rule = (inventoryComplete: boolean, key: 'from' | 'to') =>
  fc.record({ peers: fc.array(peer(inventoryComplete), { maxLength: 2 }), ports: fc.array(port, { maxLength: 2 }) }).map((r) => ({
    ...(r.peers.length ? { [key]: r.peers } : {}),
    ...(r.ports.length ? { ports: r.ports } : {}),
  }));

const policyArb = (inventoryComplete: boolean) =>
  fc.record({
    ns: pick(...NAMESPACES),
    podSelector: podSelector(inventoryComplete),
    types: pick(['Ingress'], ['Egress'], ['Ingress', 'Egress'], ['Egress', 'Ingress']),
    ingress: fc.array(rule(inventoryComplete, 'from'), { maxLength: 2 }),
    egress: fc.array(rule(inventoryComplete, 'to'), { maxLength: 2 }),
  });

export const repoArb: fc.Arbitrary<Repo> = fc.boolean().chain((inventoryComplete) =>
  fc
    .record({
      namespaces: fc.tuple(...NAMESPACES.map((name) => fc.option(nsLabels.map((labels) => ({ name, labels })), { freq: 4 }))),
      pods: fc.array(podArb, { minLength: 1, maxLength: 7 }),
      policies: fc.array(policyArb(inventoryComplete), { minLength: 1, maxLength: 4 }),
    })
    .map(({ namespaces, pods, policies }) => {
      const manifests: Obj[] = [];
      for (const ns of namespaces) {
        if (ns) manifests.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.name, labels: dict(Object.entries(ns.labels)) } });
      }
      pods.forEach((p, i) => {
        manifests.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `pod${i}`, namespace: p.ns, labels: dict(Object.entries(p.labels)) },
          spec: { containers: [{ name: 'c', image: 'busybox', ...(p.ports.length ? { ports: p.ports } : {}) }] },
          ...(p.ip ? { status: { podIP: p.ip } } : {}),
        });
      });
      policies.forEach((p, i) => {
        manifests.push({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: `np${i}`, namespace: p.ns },
          spec: {
            podSelector: p.podSelector,
            policyTypes: p.types,
            ...(p.types.includes('Ingress') && p.ingress.length ? { ingress: p.ingress } : {}),
            ...(p.types.includes('Egress') && p.egress.length ? { egress: p.egress } : {}),
          },
        });
      });
      return { inventoryComplete, manifests };
    }),
);

export const repoYaml = (repo: Repo): string =>
  repo.manifests.map((m) => yaml.dump(m, { flowLevel: 3, lineWidth: 200, noRefs: true })).join('---\n');

export async function policySetOfYaml(text: string): Promise<PolicySet> {
  const fe = await readPolicySet(memorySource({ 'policies/repo.yaml': text }), 'policies');
  const errors = fe.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the generated repository does not validate:\n${errors.map(formatDiagnostic).join('\n')}\n${text}`);
  return fe.policySet;
}

export type Outcome =
  | { readonly kind: 'refused'; readonly errors: readonly string[] }
  | { readonly kind: 'verified'; readonly snapshot: Snapshot; readonly result: VerifyResult; readonly narrowingWarned: boolean };

/** Compiles in mode exact and, when it compiles, verifies every probe against Kubernetes. */
export async function check(text: string, inventoryComplete: boolean): Promise<Outcome> {
  const ps = await policySetOfYaml(text);
  const compiled = compile(ps, { ...DEFAULT_CONFIG, mode: 'exact', generator: 'test', inventoryComplete });
  if (!compiled.snapshot) return { kind: 'refused', errors: compiled.diagnostics.map(formatDiagnostic) };
  const result = verify(ps, compiled.snapshot, buildInventory(ps, { podCIDR: DEFAULT_CONFIG.podCIDR }));
  const narrowingWarned = compiled.snapshot.findings.some((f) => f.kind === 'ipblock-overlaps-pods');
  return { kind: 'verified', snapshot: compiled.snapshot, result, narrowingWarned };
}

/**
 * The property: the exact snapshot agrees with Kubernetes on every probe. Where the compiler
 * warned that an ipBlock holds pods tags cannot name, it may deny more (never allow more).
 */
export function agrees(o: Outcome): boolean {
  if (o.kind === 'refused') return true;
  const allows = o.result.groups.reduce((n, g) => n + g.contrailAllows, 0);
  return o.narrowingWarned ? allows === 0 : o.result.divergent === 0;
}

export function describe(o: Outcome): string {
  if (o.kind === 'refused') return `refused:\n${o.errors.join('\n')}`;
  return o.result.groups
    .map((g) => `${g.cause} x${g.count} (contrail allows ${g.contrailAllows}, denies ${g.contrailDenies}): ${JSON.stringify(g.example.from)} -> ${JSON.stringify(g.example.to)} ${g.example.protocol} ${g.example.port} k8s=${g.example.kubernetes.allowed}`)
    .join('\n');
}
