import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UserError } from '../../src/diagnostics.js';
import { commitFolder, ensureCommit, folderChanged, gitAt, GITHUB_ACTIONS_AUTHOR, parseAuthor, pushHead } from '../../src/github/git.js';
import { publishRendered, type PublishOptions, renderCommitMessage } from '../../src/github/publish.js';
import { git, type GitFixture, withGitFixture, writeFiles } from '../support/git-fixture.js';

/** A stand-in renderer: rendered/all.txt = the policies folder's files, upper-cased, in name order. */
function fakeRender(dir: string): void {
  const policies = path.join(dir, 'policies');
  const text = readdirSync(policies)
    .sort()
    .map((f) => `${f}: ${readFileSync(path.join(policies, f), 'utf8').toUpperCase()}`)
    .join('');
  writeFiles(dir, { 'rendered/all.txt': text });
}

/** A depth-1 clone of main, rendered by fakeRender. */
function renderedClone(fx: GitFixture): string {
  const ws = fx.shallowClone('main');
  fakeRender(ws);
  return ws;
}

/** publishRendered's options for a clone that fakeRender renders, committing rendered/ to main. */
function publishOptions(ws: string, sourceSha: string): PublishOptions {
  return {
    git: gitAt(ws),
    branch: 'main',
    dir: 'rendered',
    author: GITHUB_ACTIONS_AUTHOR,
    message: 'chore: render',
    sourceSha,
    rerender: async () => fakeRender(ws),
    retryBaseMs: 1,
  };
}

const test = suite('git helpers');

test('ensureCommit fetches the base commit alone into a depth-1 clone; a present commit is not fetched', () =>
  withGitFixture({ 'policies/a.yaml': 'a\n' }, async (fx) => {
    const base = fx.sha('main');
    fx.commit('feature', { 'policies/a.yaml': 'b\n' }, 'change a');
    fx.commit('main', { 'README.md': 'x\n' }, 'unrelated');
    const ws = fx.shallowClone('feature');
    const g = gitAt(ws);
    assert.is(await ensureCommit(g, base), 'fetched');
    assert.is(git(ws, 'show', `${base}:policies/a.yaml`), 'a');
    assert.is(git(ws, 'rev-parse', '--is-shallow-repository'), 'true');
    assert.is(git(ws, 'rev-list', '--count', 'HEAD', base), '2');
    assert.is(await ensureCommit(g, base), 'present');
    try {
      await ensureCommit(g, 'f'.repeat(40));
      assert.unreachable('should have failed');
    } catch (e) {
      assert.instance(e, UserError);
      assert.match((e as Error).message, `cannot fetch commit ${'f'.repeat(40)} from origin`);
    }
  }));

test('commitFolder commits the rendered folder only, whatever else is modified or staged', () =>
  withGitFixture({ 'policies/a.yaml': 'a\n', 'rendered/old.txt': 'old\n', 'README.md': 'r\n' }, async (fx) => {
    const ws = fx.shallowClone('main');
    writeFiles(ws, { 'README.md': 'edited\n', 'stray.txt': 'new\n', 'rendered/old.txt': null, 'rendered/new/x.txt': 'x\n' });
    git(ws, 'add', 'stray.txt');
    const g = gitAt(ws);
    assert.ok(await folderChanged(g, 'rendered'));
    const sha = await commitFolder(g, 'rendered', renderCommitMessage('render', 'abc'), GITHUB_ACTIONS_AUTHOR);
    assert.equal(git(ws, 'diff-tree', '--no-commit-id', '--name-only', '-r', sha).split('\n'), ['rendered/new/x.txt', 'rendered/old.txt']);
    assert.is(git(ws, 'log', '-1', '--format=%an <%ae>|%cn <%ce>'), `${GITHUB_ACTIONS_AUTHOR.name} <${GITHUB_ACTIONS_AUTHOR.email}>|${GITHUB_ACTIONS_AUTHOR.name} <${GITHUB_ACTIONS_AUTHOR.email}>`);
    assert.is(git(ws, 'log', '-1', '--format=%B'), 'render [skip ci]\n\nSource-Commit: abc');
    // What was staged or modified outside rendered/ is still there, uncommitted.
    assert.equal(git(ws, 'status', '--porcelain').split('\n').map((l) => l.trim()).sort(), ['A  stray.txt', 'M README.md']);
    assert.not.ok(await folderChanged(g, 'rendered'));
  }));

test('a folder name is a literal pathspec: "rendered*" matches no other folder', () =>
  withGitFixture({ 'x/rendered-not/a.txt': 'a\n', 'x/rendered/b.txt': 'b\n' }, async (fx) => {
    const ws = fx.shallowClone('main');
    writeFiles(ws, { 'x/rendered-not/a.txt': 'changed\n' });
    const g = gitAt(path.join(ws, 'x'));
    assert.not.ok(await folderChanged(g, 'rendered'));
    writeFiles(ws, { 'x/rendered/b.txt': 'changed\n' });
    const sha = await commitFolder(g, 'rendered', 'render', GITHUB_ACTIONS_AUTHOR);
    assert.equal(git(ws, 'diff-tree', '--no-commit-id', '--name-only', '-r', sha).split('\n'), ['x/rendered/b.txt']);
  }));

test('pushHead says "rejected" when the branch moved, and never forces', () =>
  withGitFixture({ 'policies/a.yaml': 'a\n' }, async (fx) => {
    const ws = fx.shallowClone('main');
    const theirs = fx.commit('main', { 'README.md': 'theirs\n' }, 'concurrent');
    writeFiles(ws, { 'rendered/all.txt': 'x\n' });
    const g = gitAt(ws);
    await commitFolder(g, 'rendered', 'render', GITHUB_ACTIONS_AUTHOR);
    assert.is(await pushHead(g, 'main'), 'rejected');
    assert.is(fx.sha('main'), theirs);
  }));

test('a push refused for another reason (hook) is a UserError with git\'s words, not a retry', () =>
  withGitFixture({ 'policies/a.yaml': 'a\n' }, async (fx) => {
    const hook = path.join(fx.origin, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "GH006: Protected branch update failed for refs/heads/main." >&2\nexit 1\n', { mode: 0o755 });
    const ws = fx.shallowClone('main');
    writeFiles(ws, { 'rendered/all.txt': 'x\n' });
    const g = gitAt(ws);
    await commitFolder(g, 'rendered', 'render', GITHUB_ACTIONS_AUTHOR);
    try {
      await pushHead(g, 'main');
      assert.unreachable('should have failed');
    } catch (e) {
      assert.instance(e, UserError);
      assert.match((e as Error).message, 'git push to origin main failed');
      assert.match((e as Error).message, 'GH006: Protected branch update failed');
    }
  }));

test('publishRendered commits once, then finds nothing to commit', () =>
  withGitFixture({ 'policies/a.yaml': 'a\n' }, async (fx) => {
    const source = fx.sha('main');
    const ws = renderedClone(fx);
    const options = publishOptions(ws, source);
    const first = await publishRendered(options);
    assert.equal([first.committed, first.pushes, first.sourceSha], [true, 1, source]);
    assert.is(fx.sha('main'), first.commitSha);
    assert.is(git(fx.origin, 'log', '-1', '--format=%B', 'main'), `chore: render [skip ci]\n\nSource-Commit: ${source}`);
    fakeRender(ws);
    const second = await publishRendered(options);
    assert.equal([second.committed, second.pushes], [false, 0]);
    assert.is(fx.sha('main'), first.commitSha);
  }));

test('publishRendered: the branch moved (policies changed) -> renders again on the new tip, pushes on top, no force', () =>
  withGitFixture({ 'policies/a.yaml': 'a\n' }, async (fx) => {
    const source = fx.sha('main');
    const ws = renderedClone(fx);
    const theirs = fx.commit('main', { 'policies/b.yaml': 'b\n' }, 'add b');
    const logs: string[] = [];
    const waits: number[] = [];
    const result = await publishRendered({
      ...publishOptions(ws, source),
      retryBaseMs: 7,
      sleep: async (ms) => void waits.push(ms),
      log: (m) => logs.push(m),
    });
    assert.equal([result.committed, result.pushes, result.sourceSha], [true, 2, theirs]);
    assert.equal(waits, [7]);
    assert.match(logs[0], 'push to main rejected: the branch moved');
    assert.equal(fx.log('main'), ['chore: render [skip ci]', 'add b', 'initial']);
    assert.is(git(fx.origin, 'show', 'main:rendered/all.txt'), 'a.yaml: A\nb.yaml: B');
    assert.equal(fx.filesOf('main'), ['rendered/all.txt']);
    assert.is(git(fx.origin, 'log', '-1', '--format=%(trailers:key=Source-Commit,valueonly)', 'main'), theirs);
  }));

test('publishRendered: the new tip already holds the same rendering -> no commit', () =>
  withGitFixture({ 'policies/a.yaml': 'a\n' }, async (fx) => {
    const ws = renderedClone(fx);
    fx.commit('main', { 'rendered/all.txt': 'a.yaml: A\n' }, 'rendered by someone else');
    const result = await publishRendered(publishOptions(ws, fx.sha('main~1')));
    assert.equal([result.committed, result.pushes], [false, 1]);
    assert.equal(fx.log('main'), ['rendered by someone else', 'initial']);
  }));

test('publishRendered gives up after 5 retries with waits 1, 2, 4, 8, 16 units', () =>
  withGitFixture({ 'policies/a.yaml': 'a\n' }, async (fx) => {
    const ws = renderedClone(fx);
    const waits: number[] = [];
    let n = 0;
    // Every render is overtaken by another push before it can be pushed.
    const overtake = () => void fx.commit('main', { [`other/${n++}.txt`]: 'x\n' }, `concurrent ${n}`);
    overtake();
    try {
      await publishRendered({
        ...publishOptions(ws, fx.sha('main~1')),
        rerender: async () => {
          fakeRender(ws);
          overtake();
        },
        sleep: async (ms) => void waits.push(ms),
      });
      assert.unreachable('should have failed');
    } catch (e) {
      assert.instance(e, UserError);
      assert.is((e as Error).message, 'git push to main was rejected 6 times: the branch keeps moving. Nothing was forced; re-run the workflow.');
    }
    assert.equal(waits, [1, 2, 4, 8, 16]);
    assert.not.ok(fx.log('main').some((s) => s.includes('[skip ci]')));
  }));

test('renderCommitMessage keeps a given [skip ci], adds it otherwise, and ends with the trailer', () => {
  assert.is(renderCommitMessage('[skip ci] render', 'abc'), '[skip ci] render\n\nSource-Commit: abc\n');
  assert.is(renderCommitMessage('render\n\nmore words\n', 'abc'), 'render [skip ci]\n\nmore words\n\nSource-Commit: abc\n');
});

test('parseAuthor takes "Name <email>" and names the input otherwise', () => {
  assert.equal(parseAuthor('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>'), GITHUB_ACTIONS_AUTHOR);
  assert.equal(parseAuthor('  Render Bot <bot@example.com> '), { name: 'Render Bot', email: 'bot@example.com' });
  assert.throws(() => parseAuthor('bot@example.com'), (e: Error) => e instanceof UserError && e.message.startsWith('author: must be "Name <email>"'));
});

test.run();
