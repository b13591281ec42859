/** Test helper: policy files (YAML text) -> the mode-cn2 snapshot, through the real front end. */
import * as assert from 'uvu/assert';
import { compile } from '../../../src/compile/index.js';
import { formatDiagnostic } from '../../../src/diagnostics.js';
import { readPolicySet } from '../../../src/frontend.js';
import { memorySource } from '../../../src/load/memory-source.js';
import type { PolicySet } from '../../../src/model/policy.js';
import type { FirewallRule, Snapshot } from '../../../src/snapshot/model.js';
import { DEFAULT_CONFIG } from '../../../src/config/types.js';

export const GENERATOR = 'contrail-gitops test';

/** `files`: path under `policies/` -> YAML. Fails the test on any validation error. */
export async function policySetOf(files: Record<string, string>): Promise<PolicySet> {
  const source = memorySource(Object.fromEntries(Object.entries(files).map(([p, text]) => [`policies/${p}`, text])));
  const fe = await readPolicySet(source, 'policies');
  const errors = fe.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.map(formatDiagnostic), [], 'the test input is valid');
  return fe.policySet;
}

export function compileCn2(policySet: PolicySet, cluster = 'k8s'): Snapshot {
  const result = compile(policySet, { ...DEFAULT_CONFIG, mode: 'cn2', cluster, generator: GENERATOR });
  assert.equal(result.diagnostics, []);
  assert.ok(result.snapshot);
  return result.snapshot;
}

export async function compileYaml(files: Record<string, string>, cluster = 'k8s'): Promise<Snapshot> {
  return compileCn2(await policySetOf(files), cluster);
}

/** The rules of a firewall policy, in its ref order, as `sequence name`. */
export function policyRefs(s: Snapshot, fpName: string): string[] {
  const fp = s.policies.find((p) => p.name === fpName);
  assert.ok(fp, `firewall policy ${fpName} exists`);
  return fp.rules.map((r) => `${r.sequence} ${r.name}`);
}

export function rule(s: Snapshot, name: string): FirewallRule {
  const r = s.rules.find((x) => x.name === name);
  assert.ok(r, `rule ${name} exists (rules: ${s.rules.map((x) => x.name).join(', ')})`);
  return r;
}

/** A rule as a reviewer reads it: `action service endpoint1 > endpoint2`. */
export function ruleLine(r: FirewallRule): string {
  const ep = (e: FirewallRule['endpoint1']) => ('tags' in e ? e.tags.join('&') : 'addressGroup' in e ? `AG ${e.addressGroup}` : 'any');
  const svc = r.service.protocol === 'any' ? 'any' : `${r.service.protocol}:${r.service.dstPorts.start}-${r.service.dstPorts.end}`;
  return `${r.action} ${svc} ${ep(r.endpoint1)} ${r.direction} ${ep(r.endpoint2)}`;
}

export function findingKinds(s: Snapshot): string[] {
  return s.findings.map((f) => `${f.policy} ${f.kind}`);
}
