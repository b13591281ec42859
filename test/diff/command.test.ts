/** `contrail-gitops diff` through the CLI's main(), on a real repository. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/main.js';
import { REPORT_MARKER } from '../../src/report/index.js';
import { createRepo, type TestRepo } from '../support/git-fixture.js';

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const POLICY = (port: number) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: default}
spec:
  podSelector: {matchLabels: {role: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {role: frontend}}}]
    ports: [{protocol: TCP, port: ${port}}]
`;

let repo: TestRepo;
let base: string;
test.before(() => {
  repo = createRepo();
  base = repo.commit('base', { 'policies/db.yaml': POLICY(6379) });
  repo.write({ 'policies/db.yaml': POLICY(6380) });
});
test.after(() => repo.remove());

async function run(args: string[], tty = false) {
  const stdout = new Capture();
  stdout.isTTY = tty;
  const stderr = new Capture();
  const code = await main(['diff', ...args], { cwd: repo.root, stdout, stderr, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

test('--base is required; a bad --format is named', async () => {
  assert.equal(await run([]), {
    code: 1,
    stdout: '',
    stderr: 'error: --base REF is required: the git revision to compare with (e.g. --base origin/main)\n',
  });
  const bad = await run(['--base', 'main', '--format', 'html']);
  assert.is(bad.code, 1);
  assert.is(bad.stderr, 'error: --format: must be one of markdown, json, text; got "html"\n');
});

test('text on stdout by default, no colour when stdout is not a terminal', async () => {
  const r = await run(['--base', 'main']);
  assert.is(r.code, 0);
  assert.ok(r.stdout.startsWith(`Contrail firewall changes: working tree compared with main (${base.slice(0, 7)})`));
  assert.match(r.stdout, 'Plan: 0 to add, 1 to change, 0 to destroy.');
  assert.not.match(r.stdout, '\u001b[');
  const tty = await run(['--base', 'main'], true);
  assert.match(tty.stdout, '\u001b[1mPlan: 0 to add, 1 to change, 0 to destroy.\u001b[0m');
});

test('--format markdown --out FILE writes the comment to the file, atomically, and nothing to stdout', async () => {
  const r = await run(['--base', base, '--format', 'markdown', '--out', 'report/comment.md']);
  assert.is(r.code, 0);
  assert.is(r.stdout, '');
  assert.is(r.stderr, 'wrote report/comment.md\n');
  const written = readFileSync(path.join(repo.root, 'report/comment.md'), 'utf8');
  assert.ok(written.startsWith(`${REPORT_MARKER}\n## Contrail firewall changes`));
  assert.equal(readdirSync(path.join(repo.root, 'report')), ['comment.md'], 'no temporary file left');
});

test('--format json', async () => {
  const r = await run(['--base', base, '--format', 'json']);
  const report = JSON.parse(r.stdout);
  assert.is(report.summary.rulesChanged, 1);
  assert.is(report.head.label, 'working tree');
});

test('--full only with markdown; an unknown base names what to do', async () => {
  assert.is((await run(['--base', base, '--full'])).stderr, 'error: --full applies to --format markdown only\n');
  const missing = await run(['--base', 'origin/main']);
  assert.is(missing.code, 1);
  assert.is(
    missing.stderr,
    'error: origin/main: not found (no branch, tag or commit of this repository has that name). Fetch it first: git fetch origin main:refs/remotes/origin/main\n',
  );
  assert.not.ok(existsSync(path.join(repo.root, 'rendered')), 'diff renders nothing into the repository');
});

test('errors in the head: the report is still printed, exit 1', async () => {
  repo.write({ 'policies/bad.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: Bad_Name}\nspec: {podSelector: {}}\n' });
  try {
    const r = await run(['--base', base, '--format', 'markdown']);
    assert.is(r.code, 1);
    assert.match(r.stdout, '### Policy errors in working tree (1)');
    assert.match(r.stdout, 'policies/bad\\.yaml&#58;3');
  } finally {
    repo.write({ 'policies/bad.yaml': null });
  }
});

test.run();
