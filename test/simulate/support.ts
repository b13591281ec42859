/** Helpers for the simulator's tests: a policy set from YAML (through the real front end), probes by name. */
import { formatDiagnostic } from '../../src/diagnostics.js';
import { compile } from '../../src/compile/index.js';
import { readPolicySet } from '../../src/frontend.js';
import { memorySource } from '../../src/load/memory-source.js';
import type { PolicySet, Protocol } from '../../src/model/policy.js';
import type { Snapshot } from '../../src/snapshot/model.js';
import { ContrailEvaluator } from '../../src/simulate/contrail.js';
import { buildInventory, type Inventory, resolveEnd } from '../../src/simulate/inventory.js';
import { KubernetesEvaluator } from '../../src/simulate/kubernetes.js';
import { ProbeSpace } from '../../src/simulate/probe-space.js';

export async function policySetFrom(yaml: string): Promise<PolicySet> {
  const r = await readPolicySet(memorySource({ 'policies/test.yaml': yaml }), 'policies');
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map(formatDiagnostic).join('\n'));
  return r.policySet;
}

export function cn2(policySet: PolicySet): Snapshot {
  const r = compile(policySet, { mode: 'cn2', cluster: 'k8s', generator: 'test', podCIDR: '10.244.0.0/16', inventoryComplete: false });
  if (!r.snapshot) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return r.snapshot;
}

/** A Pod manifest with labels (and optionally an IP and named ports). */
export function pod(ns: string, name: string, labels: Record<string, string> = {}, extra: { ip?: string; ports?: { name?: string; port: number; protocol?: string }[] } = {}): string {
  const ports = (extra.ports ?? []).map((p) => ({ containerPort: p.port, ...(p.name ? { name: p.name } : {}), ...(p.protocol ? { protocol: p.protocol } : {}) }));
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [{ name: 'c', image: 'busybox', ...(ports.length ? { ports } : {}) }] },
    ...(extra.ip ? { status: { podIP: extra.ip } } : {}),
  });
}

export function namespace(name: string, labels: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

export const docs = (...parts: string[]): string => parts.join('\n---\n');

/** Kubernetes' answer for one flow (checks the bulk mask agrees with the detailed verdict). */
export function k8sAllows(ps: PolicySet, inv: Inventory, from: string, to: string, port: number, protocol: Protocol = 'TCP') {
  const space = new ProbeSpace([{ protocol, port }]);
  const k = new KubernetesEvaluator(ps, inv, space);
  const src = resolveEnd(inv, from);
  const dst = resolveEnd(inv, to);
  const v = k.verdict(src, dst, { protocol, port });
  const bulk = (k.allowedMask(k.classify(src), k.classify(dst))[0]! & 1) === 1;
  if (bulk !== v.allowed) throw new Error(`bulk ${bulk} != verdict ${v.allowed} for ${from} -> ${to}`);
  return v;
}

export function contrailAllows(snap: Snapshot, inv: Inventory, from: string, to: string, port: number, protocol: Protocol = 'TCP') {
  const space = new ProbeSpace([{ protocol, port }]);
  const c = new ContrailEvaluator(snap, inv, space);
  const src = resolveEnd(inv, from);
  const dst = resolveEnd(inv, to);
  const v = c.verdict(src, dst, 0);
  const bulk = (c.allowedMask(c.classify(src), c.classify(dst))[0]! & 1) === 1;
  if (bulk !== v.allowed) throw new Error(`bulk ${bulk} != verdict ${v.allowed} for ${from} -> ${to}`);
  return v;
}

export async function setup(yaml: string): Promise<{ ps: PolicySet; inv: Inventory }> {
  const ps = await policySetFrom(yaml);
  return { ps, inv: buildInventory(ps) };
}
