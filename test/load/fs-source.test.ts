import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostic, UserError } from '../../src/diagnostics.js';
import { fsSource } from '../../src/load/fs-source.js';

let base = '';
let repo = '';

test.before.each(() => {
  base = mkdtempSync(join(tmpdir(), 'contrail-gitops-fs-'));
  repo = join(base, 'repo');
  mkdirSync(join(repo, 'policies', 'shop'), { recursive: true });
  writeFileSync(join(repo, 'policies', 'shop', 'db.yaml'), 'a: 1\n');
  writeFileSync(join(repo, 'policies', 'top.yaml'), 'b: 2\n');
});

test.after.each(() => {
  rmSync(base, { recursive: true, force: true });
});

const paths = async (dir: string): Promise<string[]> => (await fsSource(repo).list(dir)).map((e) => `${e.path} ${e.size}`).sort();

test('lists regular files recursively with repository-relative forward-slash paths and sizes', async () => {
  assert.equal(await paths('policies'), ['policies/shop/db.yaml 5', 'policies/top.yaml 5']);
  assert.equal(await paths('policies/'), ['policies/shop/db.yaml 5', 'policies/top.yaml 5']);
  assert.equal((await fsSource(repo).read('policies/shop/db.yaml')).toString(), 'a: 1\n');
});

test('follows symbolic links that stay inside the repository', async () => {
  mkdirSync(join(repo, 'shared'));
  writeFileSync(join(repo, 'shared', 'common.yaml'), 'c: 3\n');
  symlinkSync(join(repo, 'shared'), join(repo, 'policies', 'linked'));
  symlinkSync('../top.yaml', join(repo, 'policies', 'shop', 'alias.yaml'));
  assert.equal(await paths('policies'), [
    'policies/linked/common.yaml 5',
    'policies/shop/alias.yaml 5',
    'policies/shop/db.yaml 5',
    'policies/top.yaml 5',
  ]);
  assert.equal((await fsSource(repo).read('policies/linked/common.yaml')).toString(), 'c: 3\n');
});

test('refuses a symbolic link that leads outside the repository, with a diagnostic', async () => {
  writeFileSync(join(base, 'secret.yaml'), 'x: 1\n');
  symlinkSync(join(base, 'secret.yaml'), join(repo, 'policies', 'evil.yaml'));
  try {
    await fsSource(repo).list('policies');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, UserError);
    const diags = (e as UserError).diagnostics.map(formatDiagnostic);
    assert.equal(diags, [
      `policies/evil.yaml: error: symbolic link leads outside the repository (to ${join(base, 'secret.yaml')}): refused; copy the file into the repository instead`,
    ]);
  }
  assert.is((await fsSource(repo).read('policies/top.yaml')).toString(), 'b: 2\n');
  try {
    await fsSource(repo).read('policies/evil.yaml');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, UserError);
  }
});

test('refuses paths that climb out of the repository', async () => {
  try {
    await fsSource(repo).read('../secret.yaml');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, UserError);
    assert.is((e as UserError).message, '../secret.yaml: path is outside the repository');
  }
});

test('a symlink cycle inside the repository terminates', async () => {
  symlinkSync(join(repo, 'policies'), join(repo, 'policies', 'shop', 'loop'));
  assert.equal(await paths('policies'), ['policies/shop/db.yaml 5', 'policies/top.yaml 5']);
});

test('a missing folder, a file given as folder, a broken link', async () => {
  const message = async (f: () => Promise<unknown>): Promise<string> => {
    try {
      await f();
      return 'no error';
    } catch (e) {
      assert.instance(e, UserError);
      return (e as Error).message;
    }
  };
  assert.is(await message(() => fsSource(repo).list('nope')), 'nope: no such folder (working tree)');
  assert.is(await message(() => fsSource(repo).list('policies/top.yaml')), 'policies/top.yaml: is not a folder');
  symlinkSync(join(repo, 'gone.yaml'), join(repo, 'policies', 'dangling.yaml'));
  assert.is(await message(() => fsSource(repo).list('policies')), 'policies/dangling.yaml: broken symbolic link');
});

test.run();
