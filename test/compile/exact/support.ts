/** Test helpers for mode exact: YAML through the real front end, the compiler, and the simulator. */
import * as assert from 'uvu/assert';
import { compile } from '../../../src/compile/index.js';
import type { LoweringResult } from '../../../src/compile/lowering.js';
import { DEFAULT_CONFIG } from '../../../src/config/types.js';
import { formatDiagnostic } from '../../../src/diagnostics.js';
import { readPolicySet } from '../../../src/frontend.js';
import { memorySource } from '../../../src/load/memory-source.js';
import type { PolicySet, Protocol } from '../../../src/model/policy.js';
import { buildInventory } from '../../../src/simulate/inventory.js';
import { explain, verify, type VerifyResult } from '../../../src/simulate/verify.js';
import type { Endpoint, FirewallRule, Snapshot } from '../../../src/snapshot/model.js';

export interface ExactOptions {
  readonly inventoryComplete?: boolean;
  readonly cluster?: string;
  readonly podCIDR?: string;
}

/** `files`: path under `policies/` -> YAML. Fails the test on any validation error. */
export async function policySetOf(files: Record<string, string> | string): Promise<PolicySet> {
  const all = typeof files === 'string' ? { 'test.yaml': files } : files;
  const source = memorySource(Object.fromEntries(Object.entries(all).map(([p, text]) => [`policies/${p}`, text])));
  const fe = await readPolicySet(source, 'policies');
  const errors = fe.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.map(formatDiagnostic), [], 'the test input is valid');
  return fe.policySet;
}

export function lower(ps: PolicySet, mode: 'exact' | 'cn2', options: ExactOptions = {}): LoweringResult {
  return compile(ps, {
    ...DEFAULT_CONFIG,
    mode,
    generator: 'contrail-gitops test',
    ...(options.cluster ? { cluster: options.cluster } : {}),
    ...(options.podCIDR ? { podCIDR: options.podCIDR } : {}),
    inventoryComplete: options.inventoryComplete ?? false,
  });
}

/** The snapshot of mode exact; fails the test when the policies do not compile. */
export async function exact(files: Record<string, string> | string, options: ExactOptions = {}): Promise<Snapshot> {
  const r = lower(await policySetOf(files), 'exact', options);
  assert.equal(r.diagnostics.map(formatDiagnostic), []);
  assert.ok(r.snapshot);
  return r.snapshot;
}

/** The compile errors of mode exact, formatted as the CLI prints them. */
export async function exactErrors(files: Record<string, string> | string, options: ExactOptions = {}): Promise<string[]> {
  const r = lower(await policySetOf(files), 'exact', options);
  assert.is(r.snapshot, undefined, 'no snapshot when there are errors');
  return r.diagnostics.map(formatDiagnostic);
}

const endpointText = (e: Endpoint): string => ('tags' in e ? e.tags.join('&') : 'addressGroup' in e ? `AG ${e.addressGroup.replace(/^default-policy-management:/, '')}` : 'any');

/** A rule as a reviewer reads it: `name: action service endpoint1 > endpoint2`. */
export function ruleLine(r: FirewallRule): string {
  const s = r.service;
  const svc = s.protocol === 'any' ? 'any' : s.dstPorts.start === 0 && s.dstPorts.end === 65535 ? s.protocol : `${s.protocol}:${s.dstPorts.start}${s.dstPorts.end !== s.dstPorts.start ? `-${s.dstPorts.end}` : ''}`;
  return `${r.name}: ${r.action} ${svc} ${endpointText(r.endpoint1)} ${r.direction} ${endpointText(r.endpoint2)}`;
}

/** Every rule in evaluation order, grouped as `== <firewall policy>` then one rule line each. */
export function table(s: Snapshot): string[] {
  const rules = new Map(s.rules.map((r) => [r.name, r]));
  const policies = new Map(s.policies.map((p) => [p.name, p]));
  const out: string[] = [];
  for (const ref of s.policySets[0]!.policies) {
    const fp = policies.get(ref.name)!;
    if (fp.rules.length === 0) continue;
    out.push(`== ${fp.name}`);
    for (const r of fp.rules) out.push(ruleLine(rules.get(r.name)!));
  }
  return out;
}

/** verify (the simulator) of the snapshot against the Kubernetes evaluator. */
export function verifyExact(ps: PolicySet, s: Snapshot, podCIDR = DEFAULT_CONFIG.podCIDR): VerifyResult {
  return verify(ps, s, buildInventory(ps, { podCIDR }));
}

/** Contrail's verdict on one flow (by `ns/pod` or address), from the simulator's Contrail evaluator. */
export function contrailAllows(ps: PolicySet, s: Snapshot, from: string, to: string, port: number, protocol: Protocol = 'TCP'): boolean {
  const [o] = explain(ps, s, buildInventory(ps), [{ from, to, port, protocol }]);
  return o!.contrail.allowed;
}
