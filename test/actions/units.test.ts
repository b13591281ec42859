/** The actions' small pure parts: the fail-on verdict, the runner's output file, the INPUT_* naming. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { failureReason } from '../../src/actions/fail-on.js';
import { actionYml, parseOutputFile, runnerEnv } from './harness.js';

const test = suite('action units');

test('fail-on: each level includes the ones before it', () => {
  const all = { headErrors: 2, divergences: 1, risks: 3 };
  assert.is(failureReason('none', all), null);
  assert.is(failureReason('invalid', all), '2 errors in the policies (see the annotations) (fail-on: invalid)');
  assert.is(failureReason('invalid', { headErrors: 0, divergences: 1, risks: 3 }), null);
  assert.is(failureReason('divergence', { headErrors: 0, divergences: 1, risks: 3 }), '1 new CN2 divergence from Kubernetes semantics (fail-on: divergence)');
  assert.is(
    failureReason('risk', all),
    '2 errors in the policies (see the annotations); 1 new CN2 divergence from Kubernetes semantics; 3 risk flags (fail-on: risk)',
  );
  assert.is(failureReason('risk', { headErrors: 0, divergences: 0, risks: 0 }), null);
});

test('GITHUB_OUTPUT: heredoc records (as @actions/core writes them) and plain lines', () => {
  assert.equal(parseOutputFile('a<<ghadelimiter_1\nx\ny\nghadelimiter_1\nb=2\nc<<EOF\n\nEOF\n'), { a: 'x\ny', b: '2', c: '' });
});

test('action.yml: every input has a description and a default; the runner names them INPUT_<NAME> with dashes kept', () => {
  for (const name of ['check', 'render']) {
    const yml = actionYml(name);
    assert.equal(yml.runs, { using: 'node24', main: 'dist/index.js' });
    for (const [input, spec] of Object.entries(yml.inputs)) {
      assert.ok((spec as { description?: string }).description, `${name}.${input}`);
      assert.ok('default' in spec, `${name}.${input} has a default`);
    }
    for (const out of ['rules-added', 'rules-removed', 'rules-changed', 'flows-opened', 'flows-closed', 'snapshot-sha256', 'report-path']) {
      assert.ok(out in yml.outputs, `${name} output ${out}`);
    }
  }
  assert.ok('committed' in actionYml('render').outputs && 'commit-sha' in actionYml('render').outputs);
  const env = runnerEnv(
    { action: 'check', workspace: '/w', eventName: 'pull_request', payload: {}, token: 'T', apiUrl: 'http://x', repository: 'a/b', sha: 'c', ref: 'refs/pull/1/merge', with: { mode: 'exact' } },
    '/tmp/x',
  );
  assert.is(env['INPUT_GITHUB-TOKEN'], 'T');
  assert.is(env['INPUT_FAIL-ON'], 'invalid');
  assert.is(env.INPUT_MODE, 'exact');
  assert.is(env.INPUT_POLICIES, '');
});

test.run();
