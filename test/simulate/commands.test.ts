/** `explain` and `verify` as a user runs them: a repository on disk, exact output, exit codes. */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Command } from '../../src/cli/command.js';
import { explainCommand } from '../../src/cli/commands/explain.js';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { UserError } from '../../src/diagnostics.js';
import { docs, namespace, pod } from './support.js';

const root = mkdtempSync(path.join(tmpdir(), 'simulate-cli-'));
mkdirSync(path.join(root, 'policies'));
writeFileSync(path.join(root, 'policies', 'np.yaml'), readFileSync(new URL('../compile/cn2/reference/km-inputs/test-network-policy.yaml', import.meta.url)));
writeFileSync(
  path.join(root, 'policies', 'workloads.yaml'),
  docs(
    namespace('other', { project: 'myproject' }),
    pod('default', 'db', { role: 'db' }, { ports: [{ name: 'redis', port: 6379 }] }),
    pod('default', 'frontend', { role: 'frontend' }),
    pod('other', 'client', { app: 'client' }, { ip: '172.17.1.5' }),
    pod('default', 'spoof', { project: 'myproject' }),
  ),
);

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

async function run(cmd: Command, values: Record<string, string | boolean>) {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await cmd.run({ root, ...values }, [], { cwd: root, stdout, stderr, env: {} });
  return { code, out: stdout.text, err: stderr.text };
}

test('explain: both decisions with the policy, rule and firewall rules that made them', async () => {
  const r = await run(explainCommand, { from: 'default/frontend', to: 'db', port: '6379' });
  assert.is(r.code, 0);
  assert.is(
    r.out,
    [
      'default/frontend -> default/db TCP 6379',
      '  Kubernetes: allowed',
      '    egress : default/frontend is not egress-isolated (no NetworkPolicy with Egress selects it)',
      '    ingress: default/db is ingress-isolated by default/test-network-policy; default/test-network-policy ingress rule 0 (peer 2, port 0) allows default/frontend on TCP 6379',
      '  Contrail: allowed',
      '    sender (default/frontend): allows by rule default-policy-management:default-ingress-test-network-policy-0-podSelector-2-0',
      '    receiver (default/db): allows by rule default-policy-management:default-ingress-test-network-policy-0-podSelector-2-0',
      '  Contrail enforces what Kubernetes specifies.',
      '',
    ].join('\n'),
  );
});

test('explain --probes --format json: one element per probe, in input order; an outside end is null', async () => {
  const file = path.join(root, 'probes.json');
  writeFileSync(file, JSON.stringify([{ from: 'default/db', to: '10.0.0.7', port: 5978, protocol: 'TCP' }, { from: 'other/client', to: 'default/db', port: 6379 }]));
  const r = await run(explainCommand, { probes: 'probes.json', format: 'json' });
  const out = JSON.parse(r.out);
  assert.equal(out.map((o: { from: string; to: string; kubernetes: { allowed: boolean }; contrail: unknown }) => [o.from, o.to, o.kubernetes.allowed, o.contrail]), [
    ['default/db', '10.0.0.7', true, { allowed: true, sender: { allowed: true, rule: 'default-policy-management:default-egress-test-network-policy-ipBlock-0-cidr-10.0.0.0/24-0' }, receiver: null }],
    ['other/client', 'default/db', true, {
      allowed: false,
      sender: { allowed: false, rule: 'default-policy-management:default-ingress-test-network-policy-0-ipBlock-0-172.17.1.0/24-0' },
      receiver: { allowed: false, rule: 'default-policy-management:default-ingress-test-network-policy-0-ipBlock-0-172.17.1.0/24-0' },
    }],
  ]);
});

test('explain: an unknown pod is a clear error with close names', async () => {
  try {
    await run(explainCommand, { from: 'default/fronted', to: 'db', port: '6379' });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, UserError);
    assert.is((e as Error).message, 'no pod "default/fronted" in the inventory; close names: default/frontend');
  }
});

test('verify: divergences grouped by cause; exit 0 in mode cn2, 1 with --strict', async () => {
  const r = await run(verifyCommand, {});
  assert.is(r.code, 0);
  const lines = r.out.split('\n');
  assert.is(lines[0], 'verify (mode cn2): 4 pods, 9 outside addresses, 2 ports (TCP 5978, TCP 6379): 168 probes');
  assert.is(lines[1], 'Contrail differs from Kubernetes on 2 probes, 2 causes:');
  assert.ok(lines.includes('except-deny-shadowing: 1 probe (Contrail allows 0 that Kubernetes denies, denies 1 that Kubernetes allows)'));
  assert.ok(lines.includes('namespace-label-spoofing: 1 probe (Contrail allows 1 that Kubernetes denies, denies 0 that Kubernetes allows)'));
  assert.ok(lines.includes('    default/spoof -> default/db TCP 6379'));
  assert.is((await run(verifyCommand, { strict: true })).code, 1);
  const json = JSON.parse((await run(verifyCommand, { format: 'json' })).out);
  assert.equal(json.groups.map((g: { cause: string; count: number }) => [g.cause, g.count]), [['except-deny-shadowing', 1], ['namespace-label-spoofing', 1]]);
});

test('verify: a repository without workloads simulates synthesized pods and says so', async () => {
  const bare = mkdtempSync(path.join(tmpdir(), 'simulate-bare-'));
  mkdirSync(path.join(bare, 'policies'));
  writeFileSync(path.join(bare, 'policies', 'np.yaml'), readFileSync(path.join(root, 'policies', 'np.yaml')));
  const stdout = new Sink();
  const code = await verifyCommand.run({ root: bare }, [], { cwd: bare, stdout, stderr: new Sink(), env: {} });
  assert.is(code, 0);
  assert.match(stdout.text, /^note: the repository declares no workloads; the \d+ pods simulated were synthesized from the policies' selectors/);
});

test.run();
