/**
 * End to end: the bundled render action (actions/render/dist/index.js) run as the runner runs it,
 * on a depth-1 clone of the pushed branch, pushing to a real bare origin.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { git, GitFixture, writeFiles } from '../support/git-fixture.js';
import { bundledPolicies, pushPayload, REPO_ROOT, runBundledAction, type RunResult, smallPolicies } from './harness.js';

const TOKEN = 'ghs_renderActionToken0123456789abcdefXYZ';
const REPOSITORY = 'acme/network-policies';
const BOT = 'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>';

const DB = readFileSync(path.join(REPO_ROOT, 'policies/shop/db.yaml'), 'utf8');

interface Ctx {
  fx: GitFixture;
}

const test = suite<Ctx>('render action (bundled)', {} as Ctx);

test.before.each((ctx) => {
  ctx.fx = new GitFixture({ ...smallPolicies(), 'README.md': 'policies\n' });
});

test.after.each((ctx) => {
  ctx.fx.remove();
});

/** Runs the action in `workspace` (a depth-1 clone of main) for the push that made `after`. */
function runRender(ctx: Ctx, workspace: string, before: string, after: string, withInputs?: Record<string, string>): Promise<RunResult> {
  return runBundledAction({
    action: 'render',
    workspace,
    eventName: 'push',
    payload: pushPayload({ repository: REPOSITORY, before, after, branch: 'main' }),
    with: withInputs,
    token: TOKEN,
    apiUrl: 'http://127.0.0.1:9/unused',
    repository: REPOSITORY,
    sha: after,
    ref: 'refs/heads/main',
  });
}

function diagnostics(r: RunResult): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

function assertTokenHidden(r: RunResult): void {
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes(TOKEN));
  assert.equal(lines, [`::add-mask::${TOKEN}`]);
}

test('bundled policies: commits rendered/ once as the bot with [skip ci] and the Source-Commit trailer; the next run commits nothing', async (ctx) => {
  ctx.fx.remove();
  ctx.fx = new GitFixture({ ...bundledPolicies(), 'README.md': 'policies\n' });
  const before = ctx.fx.sha('main');
  const source = ctx.fx.commit('main', { 'policies/shop/db.yaml': DB.replace('port: 5432', 'port: 5433') }, 'db on 5433');
  const first = await runRender(ctx, ctx.fx.shallowClone('main'), before, source);
  assert.is(first.code, 0, diagnostics(first));
  const rendered = ctx.fx.sha('main');
  assert.is.not(rendered, source);
  assert.equal(first.outputs.committed, 'true');
  assert.equal(first.outputs['commit-sha'], rendered);
  assert.is(git(ctx.fx.origin, 'rev-parse', 'main~1'), source);
  assert.is(git(ctx.fx.origin, 'log', '-1', '--format=%an <%ae>|%cn <%ce>', 'main'), `${BOT}|${BOT}`);
  assert.is(
    git(ctx.fx.origin, 'log', '-1', '--format=%B', 'main'),
    `chore(rendered): render Contrail configuration [skip ci]\n\nSource-Commit: ${source}`,
  );
  const files = ctx.fx.filesOf('main');
  assert.ok(files.length > 0);
  assert.ok(files.every((f) => f.startsWith('rendered/')), files.join('\n'));
  assert.ok(files.includes('rendered/contrail/vnc.json'), files.join('\n'));
  assert.ok(files.includes('rendered/.contrail-gitops-manifest'), files.join('\n'));
  const manifest = git(ctx.fx.origin, 'show', 'main:rendered/.contrail-gitops-manifest');
  assert.match(manifest, /\n# inputs: sha256:[0-9a-f]{64}\n# outputs: sha256:[0-9a-f]{64}\n/);
  const vnc = git(ctx.fx.origin, 'show', 'main:rendered/contrail/vnc.json');
  assert.ok(vnc.includes('"end_port": 5433'), vnc.slice(0, 500));
  assert.match(first.outputs['snapshot-sha256'], /^[0-9a-f]{64}$/);
  assert.ok(Number(first.outputs['rules-changed']) + Number(first.outputs['rules-added']) > 0, JSON.stringify(first.outputs));
  assert.ok(first.summary.startsWith(`Rendered \`rendered/\` from ${source} and pushed ${rendered} to \`main\`.`), first.summary.slice(0, 300));
  assertTokenHidden(first);

  const second = await runRender(ctx, ctx.fx.shallowClone('main'), source, rendered);
  assert.is(second.code, 0, diagnostics(second));
  assert.equal([second.outputs.committed, second.outputs['commit-sha']], ['false', '']);
  assert.is(ctx.fx.sha('main'), rendered);
  assert.ok(second.summary.startsWith(`\`rendered/\` is up to date with ${rendered}: nothing to commit.`), second.summary.slice(0, 300));
});

test('a concurrent push moved the branch: renders again on the new tip and pushes on top of it (no force)', async (ctx) => {
  const before = ctx.fx.sha('main');
  const source = ctx.fx.commit('main', { 'README.md': 'policies, rendered\n' }, 'readme');
  const workspace = ctx.fx.shallowClone('main');
  // While the action runs, a colleague pushes a policy change.
  const theirs = ctx.fx.commit('main', { 'policies/shop/db.yaml': DB.replace('port: 5432', 'port: 6543') }, 'db on 6543');
  const r = await runRender(ctx, workspace, before, source);
  assert.is(r.code, 0, diagnostics(r));
  assert.ok(r.stdout.includes('push to main rejected: the branch moved; rendering again on its new tip'), r.stdout);
  assert.equal(ctx.fx.log('main'), ['chore(rendered): render Contrail configuration [skip ci]', 'db on 6543', 'readme', 'initial']);
  assert.is(git(ctx.fx.origin, 'log', '-1', '--format=%(trailers:key=Source-Commit,valueonly)', 'main'), theirs);
  assert.ok(git(ctx.fx.origin, 'show', 'main:rendered/contrail/vnc.json').includes('"end_port": 6543'));
  assert.ok(ctx.fx.filesOf('main').every((f) => f.startsWith('rendered/')));
  assert.equal(r.outputs.committed, 'true');
  assert.is(r.outputs['commit-sha'], ctx.fx.sha('main'));
});

test('commits nothing but rendered/, whatever else the workspace has modified, staged or added', async (ctx) => {
  const before = ctx.fx.sha('main');
  const source = ctx.fx.commit('main', {}, 'empty');
  const workspace = ctx.fx.shallowClone('main');
  writeFiles(workspace, { 'README.md': 'edited by an earlier step\n', 'build/out.txt': 'artifact\n', 'notes.txt': 'staged\n' });
  git(workspace, 'add', 'notes.txt');
  const r = await runRender(ctx, workspace, before, source);
  assert.is(r.code, 0, diagnostics(r));
  const files = ctx.fx.filesOf('main');
  assert.ok(files.length > 0 && files.every((f) => f.startsWith('rendered/')), files.join('\n'));
  assert.is(git(ctx.fx.origin, 'show', 'main:README.md'), 'policies');
});

test('invalid policies: ::error annotations on file and line, the step fails, nothing is committed', async (ctx) => {
  const before = ctx.fx.sha('main');
  const broken = DB.replace('port: 5432', 'port: 70000');
  const source = ctx.fx.commit('main', { 'policies/shop/db.yaml': broken }, 'broken');
  const r = await runRender(ctx, ctx.fx.shallowClone('main'), before, source);
  assert.is(r.code, 1, diagnostics(r));
  const line = broken.split('\n').findIndex((l) => l.includes('port: 70000')) + 1;
  assert.ok(r.stdout.includes(`::error title=contrail-gitops%3A error,file=policies/shop/db.yaml,line=${line},`), r.stdout);
  assert.ok(r.stdout.includes('::error::the policies in policies/ are not valid: nothing was done'), r.stdout);
  assert.is(ctx.fx.sha('main'), source);
  assert.not.ok(r.stderr.includes('    at '), r.stderr);
});

test('a push to a tag is refused with a sentence, not a stack trace', async (ctx) => {
  const sha = ctx.fx.sha('main');
  const r = await runBundledAction({
    action: 'render',
    workspace: ctx.fx.shallowClone('main'),
    eventName: 'push',
    payload: { ...pushPayload({ repository: REPOSITORY, before: sha, after: sha, branch: 'main' }), ref: 'refs/tags/v1' },
    token: TOKEN,
    apiUrl: 'http://127.0.0.1:9/unused',
    repository: REPOSITORY,
    sha,
    ref: 'refs/tags/v1',
  });
  assert.is(r.code, 1);
  assert.ok(
    r.stdout.includes('::error::the render action commits to a branch, but this push is to refs/tags/v1: run it on branch pushes ("on: push: branches: [main]")'),
    r.stdout,
  );
  assert.is(ctx.fx.sha('main'), sha);
});

test.run();
