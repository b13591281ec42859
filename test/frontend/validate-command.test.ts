import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateCommand } from '../../src/cli/commands/validate.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

let repo = '';
test.before.each(() => {
  repo = mkdtempSync(join(tmpdir(), 'contrail-gitops-validate-'));
});
test.after.each(() => rmSync(repo, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, p)), { recursive: true });
    writeFileSync(join(repo, p), text);
  }
}

async function run(values: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await validateCommand.run(values, [], { cwd: repo, stdout, stderr, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const NP = (name: string): string => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}}\nspec: {podSelector: {}}\n`;

test('valid: one summary line on stdout, notices and warnings on stderr, exit 0', async () => {
  write({
    'policies/a.yaml': NP('a'),
    'policies/b/c.yml': `${NP('c')}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n`,
    'policies/d.json': JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1, template: {} } }),
    'policies/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {podSelector: {}}\n',
    'policies/notes.txt': 'ignored',
  });
  const r = await run();
  assert.is(r.stdout, 'valid: 4 files, 2 NetworkPolicy, 1 Namespace, 1 Deployment\n');
  assert.is(r.stderr, 'policies/svc.yaml:2:7: notice: kind: Service (v1) is not used by contrail-gitops: skipped\n');
  assert.is(r.code, 0);
});

test('invalid: the errors, then a count, exit 1', async () => {
  write({
    'rules/x.yaml': `${NP('x')}---\n${NP('Web')}`,
    'rules/y.yaml': 'a: [\n',
  });
  const r = await run({ policies: 'rules' });
  assert.is(r.stdout, '');
  assert.is(
    r.stderr,
    [
      `rules/x.yaml:8:18: error: metadata.name: invalid value "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      'rules/y.yaml:2:1: error: invalid YAML: deficient indentation',
      'invalid: 2 errors in 2 files',
      '',
    ].join('\n'),
  );
  assert.is(r.code, 1);
});

test('a single file and a single kind are counted in the singular', async () => {
  write({ 'policies/a.yaml': NP('a') });
  assert.is((await run()).stdout, 'valid: 1 file, 1 NetworkPolicy\n');
});

test('a missing policies folder is a UserError (printed by main, exit 1)', async () => {
  try {
    await run({ policies: 'nope' });
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).name, 'UserError');
    assert.is((e as Error).message, 'nope: no such folder (working tree)');
  }
});

test.run();
