import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UserError } from '../../src/diagnostics.js';
import { gitTreeSource } from '../../src/load/git-source.js';
import { createRepo, git, type TestRepo, withRepo } from '../support/git-fixture.js';

let repo: TestRepo;
let first: string;
let second: string;

test.before(() => {
  repo = createRepo();
  first = repo.commit('first', {
    'policies/a.yaml': 'kind: A\n',
    'policies/team/b.yml': 'kind: B\n',
    'shared/common.yaml': 'kind: Shared\n',
    'shared/dir/x.yaml': 'kind: X\n',
    'README.md': 'hello\n',
  });
  second = repo.commit('second', {
    'policies/a.yaml': 'kind: A2\n',
    'policies/link.yaml': { link: '../shared/common.yaml' },
    'policies/linked-dir': { link: '../shared/dir' },
    'policies/team/loop': { link: '..' },
  });
});
test.after(() => repo.remove());

async function expectUserError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, UserError);
    return (e as Error).message;
  }
  assert.unreachable('expected a UserError');
  return '';
}

const sortedPaths = (es: { path: string }[]) => es.map((e) => e.path).sort();

test('lists and reads the files of a revision, not of the working tree', async () => {
  repo.write({ 'policies/a.yaml': 'kind: edited in the working tree\n', 'policies/new.yaml': 'kind: N\n' });
  const statusBefore = git(repo.root, 'status', '--porcelain');
  const src = await gitTreeSource(repo.root, first);
  assert.equal(sortedPaths(await src.list('policies')), ['policies/a.yaml', 'policies/team/b.yml']);
  assert.is((await src.read('policies/a.yaml')).toString(), 'kind: A\n');
  assert.equal((await src.list('policies')).find((e) => e.path === 'policies/a.yaml')?.size, 8);
  assert.is(src.label, first.slice(0, 12));
  assert.is(git(repo.root, 'status', '--porcelain'), statusBefore, 'working copy and index untouched');
  repo.write({ 'policies/a.yaml': 'kind: A2\n', 'policies/new.yaml': null });
});

test('a branch name works and the label says which commit', async () => {
  const src = await gitTreeSource(repo.root, 'main');
  assert.is(src.label, `main (${second.slice(0, 7)})`);
  assert.is((await src.read('policies/a.yaml')).toString(), 'kind: A2\n');
});

test('symbolic links inside the tree are followed, to a file and to a folder', async () => {
  const src = await gitTreeSource(repo.root, second);
  assert.equal(sortedPaths(await src.list('policies')), [
    'policies/a.yaml',
    'policies/link.yaml',
    'policies/linked-dir/x.yaml',
    'policies/team/b.yml',
  ]);
  assert.is((await src.read('policies/link.yaml')).toString(), 'kind: Shared\n');
  assert.is((await src.read('policies/linked-dir/x.yaml')).toString(), 'kind: X\n');
});

test('a symbolic link out of the repository is refused, naming it', () =>
  withRepo(async (r) => {
    const sha = r.commit('escape', { 'policies/ok.yaml': 'a: 1\n', 'policies/passwd.yaml': { link: '../../../etc/passwd' } });
    const src = await gitTreeSource(r.root, sha);
    const message = await expectUserError(src.list('policies'));
    assert.is(
      message,
      'policies/passwd.yaml: symbolic link to "../../../etc/passwd" leads out of the repository (' +
        `${sha.slice(0, 12)}); only links to files inside the repository are followed`,
    );
  }));

test('a missing folder and a missing file are UserErrors naming them', async () => {
  const src = await gitTreeSource(repo.root, first);
  assert.is(await expectUserError(src.list('nope')), `nope: no such folder (${first.slice(0, 12)})`);
  assert.is(await expectUserError(src.read('policies/zzz.yaml')), `policies/zzz.yaml: no such file (${first.slice(0, 12)})`);
});

test('an unknown revision in a full clone says so', async () => {
  assert.is(
    await expectUserError(gitTreeSource(repo.root, 'no-such-branch')),
    'no-such-branch: not found (no branch, tag or commit of this repository has that name). Give a branch, tag or commit sha that exists here, or fetch it first: git fetch origin no-such-branch',
  );
  assert.match(await expectUserError(gitTreeSource(repo.root, '--upload-pack=x')), 'not a git revision');
});

test('a folder that is not a repository', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-norepo-'));
  try {
    assert.match(await expectUserError(gitTreeSource(dir, 'HEAD')), 'not a git repository');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('shallow clone: the head commit is there, the base is not until fetched as the message says', async () => {
  const clone = repo.shallowClone();
  try {
    const head = await gitTreeSource(clone.root, second);
    assert.is((await head.read('policies/a.yaml')).toString(), 'kind: A2\n');
    const message = await expectUserError(gitTreeSource(clone.root, first));
    assert.is(
      message,
      `${first}: commit not found (this is a shallow clone and it does not hold it). Fetch it first: git fetch --depth=1 origin ${first}`,
    );
    git(clone.root, 'fetch', '-q', '--depth=1', 'origin', first);
    const base = await gitTreeSource(clone.root, first);
    assert.is((await base.read('policies/a.yaml')).toString(), 'kind: A\n');
  } finally {
    clone.remove();
  }
});

test('a root inside the work tree (a monorepo folder): paths relative to it, links out of it refused', () =>
  withRepo(async (r) => {
    const sha = r.commit('mono', {
      'infra/net/policies/a.yaml': 'kind: A\n',
      'infra/net/policies/up.yaml': { link: '../../../other/secret.yaml' },
      'other/secret.yaml': 'kind: Secret\n',
    });
    const src = await gitTreeSource(path.join(r.root, 'infra/net'), sha);
    assert.ok(await src.hasFolder('policies'));
    assert.not.ok(await src.hasFolder('infra'));
    assert.is((await src.read('policies/a.yaml')).toString(), 'kind: A\n');
    assert.match(await expectUserError(src.list('policies')), 'policies/up.yaml: symbolic link to "../../../other/secret.yaml" leads out of the repository');
  }));

test('many reads at once go through one batch and all come back right', () =>
  withRepo(async (r) => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`policies/p${String(i).padStart(3, '0')}.yaml`] = `n: ${i}\n${'x'.repeat(i * 37)}\n`;
    const sha = r.commit('many', files);
    const src = await gitTreeSource(r.root, sha);
    const listed = await src.list('policies');
    const contents = await Promise.all(listed.map((e) => src.read(e.path)));
    listed.forEach((e, i) => assert.is(contents[i].toString(), files[e.path]));
    // Sequential reads after the batch process closed start a new one.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.is((await src.read('policies/p007.yaml')).toString(), files['policies/p007.yaml']);
  }));

test('files fetched ahead read back right, in any order, mixed with reads on demand, and leave nothing waiting when some are never read', () =>
  withRepo(async (r) => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 100; i++) files[`policies/p${String(i).padStart(3, '0')}.yaml`] = `n: ${i}\n${'y'.repeat(i * 53)}\n`;
    const sha = r.commit('ahead', files);
    const src = await gitTreeSource(r.root, sha);
    const listed = (await src.list('policies')).map((e) => e.path);
    src.prefetch(listed.slice(0, 90));
    const order = [...listed].reverse();
    const contents = await Promise.all(order.map((p) => src.read(p)));
    order.forEach((p, i) => assert.is(contents[i]!.toString(), files[p]));
    // Read twice: the second read asks git again and gets the same bytes.
    assert.is((await src.read(listed[3]!)).toString(), files[listed[3]!]);
    // Fetched ahead and mostly never read: the one read comes back, and the process still ends.
    const other = await gitTreeSource(r.root, sha);
    await other.list('policies');
    other.prefetch(listed);
    assert.is((await other.read(listed[42]!)).toString(), files[listed[42]!]);
  }));

test.run();
