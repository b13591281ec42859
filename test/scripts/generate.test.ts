/**
 * The repository generator (scripts/generate.mjs), run as a user runs it: same seed, same bytes
 * and the same commits; what it writes passes the front end with no error, in both revisions;
 * the head revision changes what it says it changes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile/index.js';
import { formatDiagnostic } from '../../src/diagnostics.js';
import { readPolicySet } from '../../src/frontend.js';
import type { FileSource } from '../../src/load/file-source.js';
import { fsSource } from '../../src/load/fs-source.js';
import { gitTreeSource } from '../../src/load/git-source.js';

const run = promisify(execFile);
const GENERATE = path.resolve('scripts/generate.mjs');
const SMALL = ['--namespaces', '4', '--policies', '60', '--pods', '24'];

let scratch = '';
const dir = (name: string): string => path.join(scratch, name);

async function generate(out: string, ...flags: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [GENERATE, '--out', out, ...flags]);
  return stdout;
}

async function generateFailing(...flags: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [GENERATE, ...flags]);
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
  throw new Error(`generate.mjs ${flags.join(' ')} succeeded`);
}

/** Every file under `root` except `.git`, path -> bytes. */
async function filesOf(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    const full = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    const rel = path.relative(root, full);
    if (!e.isFile() || rel.split(path.sep)[0] === '.git') continue;
    out.set(rel, await readFile(full));
  }
  return out;
}

async function git(root: string, ...args: string[]): Promise<string> {
  return (await run('git', ['-C', root, ...args])).stdout.trim();
}

async function frontEnd(source: FileSource) {
  const r = await readPolicySet(source, 'policies');
  const errors = r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  return { ...r, errors };
}

test.before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'generate-test-'));
  await generate(dir('a'), ...SMALL, '--seed', 'seven');
  await generate(dir('b'), ...SMALL, '--seed', 'seven');
  await generate(dir('c'), ...SMALL, '--seed', 'eight');
});

test.after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

test('the same seed gives byte-identical files and the same two commits', async () => {
  const a = await filesOf(dir('a'));
  const b = await filesOf(dir('b'));
  assert.ok(a.size > 30, `only ${a.size} files`);
  assert.equal([...a.keys()].sort(), [...b.keys()].sort());
  for (const [file, bytes] of a) assert.ok(bytes.equals(b.get(file)!), `${file} differs`);
  assert.is(await git(dir('a'), 'rev-parse', 'base', 'head'), await git(dir('b'), 'rev-parse', 'base', 'head'));
  assert.is(await git(dir('a'), 'rev-list', '--count', 'HEAD'), '2');
  assert.is(await git(dir('a'), 'status', '--porcelain'), '', 'the working tree is the head commit');
});

test('another seed gives another repository of the same size', async () => {
  const a = await filesOf(dir('a'));
  const c = await filesOf(dir('c'));
  const same = [...a].filter(([f, bytes]) => c.get(f)?.equals(bytes)).length;
  assert.ok(same < a.size / 2, `${same} of ${a.size} files identical`);
  const r = await frontEnd(await gitTreeSource(dir('c'), 'base'));
  assert.equal(r.errors, []);
  assert.is(r.objects.NetworkPolicy, 60);
});

test('both revisions load and validate with no error, with the counts asked for', async () => {
  const head = await frontEnd(fsSource(dir('a')));
  assert.equal(head.errors, []);
  const base = await frontEnd(await gitTreeSource(dir('a'), 'base'));
  assert.equal(base.errors, []);
  assert.is(base.objects.NetworkPolicy, 60);
  // 4 application namespaces, and kube-system, ingress-nginx and monitoring.
  assert.is(base.objects.Namespace, 7);
  assert.is((base.objects.Deployment ?? 0) + (base.objects.StatefulSet ?? 0), 24 + 3);
  assert.equal(
    base.policySet.namespaces.map((n) => n.name).filter((n) => ['kube-system', 'ingress-nginx', 'monitoring'].includes(n)),
    ['ingress-nginx', 'kube-system', 'monitoring'],
  );
  // What the templates promise: a realistic mix, not one shape repeated.
  const ps = base.policySet.policies;
  const peers = ps.flatMap((p) => [...p.ingress, ...p.egress]).flatMap((r) => r.peers);
  const ports = ps.flatMap((p) => [...p.ingress, ...p.egress]).flatMap((r) => r.ports);
  assert.ok(ps.some((p) => p.podSelector.matchLabels.length === 0 && p.ingress.length === 0), 'a default deny');
  assert.ok(ps.some((p) => p.policyTypes.includes('Egress')), 'an egress policy');
  assert.ok(peers.some((p) => p.namespaceSelector && p.podSelector), 'a namespace and pod selector peer');
  assert.ok(peers.some((p) => p.ipBlock && p.ipBlock.except.length > 0), 'an ipBlock with except');
  assert.ok(ports.some((p) => p.protocol === 'UDP' && p.port === 53), 'DNS over UDP');
  assert.ok(ports.filter((p) => p.port !== undefined).length > ps.length / 2, 'ports on most rules');
});

test('the head revision changes about 1% of the policies, as its commit message says', async () => {
  const message = await git(dir('a'), 'log', '-1', '--format=%B', 'head');
  const changed = message.split('\n').filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
  const m = /^Change (\d+) NetworkPolicies: (\d+) ports changed, (\d+) peers added, (\d+) peers removed, (\d+) policies added, (\d+) removed$/.exec(message.split('\n')[0]);
  assert.ok(m, message);
  const [total, ports, peersAdded, peersRemoved, added, removed] = m!.slice(1).map(Number);
  assert.is(changed.length, total);
  assert.is(ports + peersAdded + peersRemoved + added + removed, total);
  assert.ok(added >= 1 && removed >= 1, 'a policy added and one removed');
  // 1% of 60 rounds to 1: the generator makes at least 5 changes so that every kind can occur.
  assert.ok(total >= 5 && total <= 8, `${total} changes`);

  const status = (await git(dir('a'), 'diff', '--no-renames', '--name-status', 'base', 'head')).split('\n').map((l) => l.split('\t'));
  assert.is(status.filter(([s]) => s === 'A').length, added);
  assert.is(status.filter(([s]) => s === 'D').length, removed);
  assert.is(status.filter(([s]) => s === 'M').length, ports + peersAdded + peersRemoved);

  const base = await frontEnd(await gitTreeSource(dir('a'), 'base'));
  const head = await frontEnd(fsSource(dir('a')));
  const keys = (r: typeof base) => new Set(r.policySet.policies.map((p) => `${p.namespace}/${p.name}`));
  const baseKeys = keys(base);
  const headKeys = keys(head);
  assert.is(head.policySet.policies.length, 60 + added - removed);
  assert.is([...headKeys].filter((k) => !baseKeys.has(k)).length, added);
  assert.is([...baseKeys].filter((k) => !headKeys.has(k)).length, removed);
  for (const k of changed) assert.ok(baseKeys.has(k) || headKeys.has(k), k);
});

test('mode cn2 compiles the generated repository', async () => {
  const { policySet, errors } = await frontEnd(fsSource(dir('a')));
  assert.equal(errors, []);
  const r = compile(policySet, { mode: 'cn2', cluster: 'k8s', generator: 'test', podCIDR: '10.244.0.0/16', inventoryComplete: false });
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), []);
  assert.ok(r.snapshot, 'a snapshot');
  // Several firewall rules per policy, as real policies give (peers x ports, plus the deny-alls).
  assert.ok(r.snapshot!.rules.length > 3 * policySet.policies.length, `${r.snapshot!.rules.length} rules`);
});

test('bad flags are refused with a message and exit code 2, and nothing is overwritten', async () => {
  const unknown = await generateFailing('--out', dir('x'), '--polices', '10');
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, 'unknown flag --polices');
  assert.match(unknown.stderr, '--policies is required');

  const few = await generateFailing('--out', dir('x'), '--policies', '10', '--namespaces', '5', '--pods', '3');
  assert.match(few.stderr, '--pods must be at least --namespaces (5)');

  await writeFile(path.join(dir('a'), 'keep.txt'), 'mine');
  const full = await generateFailing('--out', dir('a'), '--policies', '10');
  assert.match(full.stderr, 'folder is not empty');
  assert.is(await readFile(path.join(dir('a'), 'keep.txt'), 'utf8'), 'mine');
});

test.run();
