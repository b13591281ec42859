import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { COMMANDS, main } from '../../src/cli/main.js';
import { UserError } from '../../src/diagnostics.js';

function sink() {
  let text = '';
  return {
    stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream,
    get text() {
      return text;
    },
  };
}

async function run(...argv: string[]) {
  const out = sink();
  const err = sink();
  const code = await main(argv, { cwd: process.cwd(), stdout: out.stream, stderr: err.stream, env: {} });
  return { code, stdout: out.text, stderr: err.text };
}

test('--help lists every command with one line each', async () => {
  const r = await run('--help');
  assert.is(r.code, 0);
  for (const name of ['validate', 'render', 'diff', 'explain', 'verify']) {
    const line = r.stdout.split('\n').find((l) => l.startsWith(`  ${name} `));
    assert.ok(line, `command ${name} listed`);
    assert.ok(line!.trim().length > name.length + 10, `command ${name} has a summary`);
  }
  assert.is(COMMANDS.length, 5);
});

test('every command has --help with its options', async () => {
  for (const c of COMMANDS) {
    const r = await run(c.name, '--help');
    assert.is(r.code, 0, c.name);
    assert.ok(r.stdout.startsWith(`Usage: contrail-gitops ${c.name}`), c.name);
    for (const option of Object.keys(c.options)) assert.ok(r.stdout.includes(`--${option}`), `${c.name} --${option}`);
  }
});

test('no command: help on stdout and exit 1; unknown command: one line and exit 1', async () => {
  const none = await run();
  assert.is(none.code, 1);
  assert.match(none.stdout, /^Usage: contrail-gitops <command>/);
  const unknown = await run('rendr');
  assert.is(unknown.code, 1);
  assert.is(unknown.stderr, "contrail-gitops: unknown command 'rendr'. Commands: validate, render, diff, explain, verify.\n");
});

test('an unknown option is a one-line error pointing at the help, exit 1', async () => {
  const r = await run('validate', '--polices', 'x');
  assert.is(r.code, 1);
  assert.is(r.stderr, "error: Unknown option '--polices'. See 'contrail-gitops validate --help'.\n");
});

test('--version prints the package version', async () => {
  const r = await run('--version');
  assert.is(r.code, 0);
  assert.is(r.stdout, 'contrail-gitops 0.1.0\n');
});

/** Newest modification time under a folder (to rebuild a dist/ older than its sources). */
function newest(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs,
    ),
  );
}

test('the installed binary answers --help (the build npm ci runs in prepare)', () => {
  const bin = 'dist/src/cli/main.js';
  if (!existsSync(bin) || statSync(bin).mtimeMs < newest('src')) execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  const r = spawnSync(process.execPath, ['dist/src/cli/main.js', '--help'], { encoding: 'utf8' });
  assert.is(r.status, 0);
  assert.match(r.stdout, /Commands:\n {2}validate/);
});

test('a bug is one line and exit 2, never a stack trace', async () => {
  const { reportError } = await import('../../src/cli/main.js');
  const err = sink();
  assert.is(reportError(new TypeError('boom'), { stderr: err.stream, env: {} }), 2);
  assert.ok(!err.text.includes('    at '), 'no stack');
  assert.match(err.text, /^internal error: boom\n/);
  const err2 = sink();
  assert.is(reportError(new UserError('policies: no such folder'), { stderr: err2.stream, env: {} }), 1);
  assert.is(err2.text, 'error: policies: no such folder\n');
});

test.run();
