import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gitEnvironment, openGit } from '../../src/git/open.js';
import { gitTreeSource } from '../../src/load/git-source.js';
import { withRepo } from '../support/git-fixture.js';

test('git runs with an editor and a pager in the environment (npx sets EDITOR)', async () => {
  await withRepo(async (repo) => {
    repo.write({ 'policies/a.yaml': 'kind: Namespace\n' });
    const sha = repo.commit('one');
    const env = { ...process.env, EDITOR: 'vim', VISUAL: 'code --wait', PAGER: 'less', GIT_PAGER: 'less' };
    const log = await openGit(repo.root, env).raw(['rev-parse', 'HEAD']);
    assert.is(log.trim(), sha);
    const saved = { ...process.env };
    Object.assign(process.env, { EDITOR: 'vim', PAGER: 'less' });
    try {
      const source = await gitTreeSource(repo.root, 'HEAD');
      assert.equal((await source.list('policies')).map((e) => e.path), ['policies/a.yaml']);
    } finally {
      for (const k of ['EDITOR', 'PAGER']) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    }
  });
});

test('the environment keeps what authenticates a fetch, drops editors and pagers, and forces English', () => {
  const env = gitEnvironment({ EDITOR: 'vim', GIT_PAGER: 'less', GIT_ASKPASS: '/bin/askpass', HOME: '/home/u', LANG: 'de_DE.UTF-8' });
  assert.equal(env, { GIT_ASKPASS: '/bin/askpass', HOME: '/home/u', LANG: 'de_DE.UTF-8', LC_ALL: 'C', LANGUAGE: 'C' });
});

test.run();
