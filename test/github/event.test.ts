import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UserError } from '../../src/diagnostics.js';
import { pullRequestOf, pushOf, readEventPayload, repositoryFromEnv } from '../../src/github/event.js';

const require = createRequire(import.meta.url);
type Json = Record<string, any>;
const examples = require('@octokit/webhooks-examples') as { name: string; examples: Json[] }[];
const example = (name: string, pick: (x: Json) => boolean) => structuredClone(examples.find((e) => e.name === name)!.examples.find(pick)!);

const test = suite('webhook event');

function userError(fn: () => unknown, message: string): void {
  try {
    fn();
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.instance(e, UserError);
    assert.is((e as Error).message, message);
  }
}

test('pull_request (webhooks-examples opened): number, base and head sha; same repository is not a fork', () => {
  const p = example('pull_request', (x) => x.action === 'opened');
  assert.equal(pullRequestOf(p, 'pull_request'), {
    number: p.pull_request.number,
    baseSha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
    headSha: p.pull_request.head.sha,
    fromFork: false,
  });
  p.pull_request.head.repo.full_name = 'someone/Hello-World';
  assert.is(pullRequestOf(p, 'pull_request').fromFork, true);
  p.pull_request.head.repo = null; // the fork was deleted
  assert.is(pullRequestOf(p, 'pull_request').fromFork, true);
});

test('a push payload is not a pull request: the message names the event and the trigger to use', () => {
  const p = example('push', (x) => x.ref === 'refs/heads/master');
  userError(() => pullRequestOf(p, 'push'), 'the check action needs a pull_request event, but this workflow ran on "push": use "on: pull_request"');
});

test('push (webhooks-examples): a new branch (before = forty zeros) has no before', () => {
  const p = example('push', (x) => x.ref === 'refs/heads/master');
  assert.equal(pushOf(p, 'push'), { before: undefined, after: p.after, ref: 'refs/heads/master' });
  p.before = 'a'.repeat(40);
  assert.is(pushOf(p, 'push').before, 'a'.repeat(40));
  userError(() => pushOf(example('pull_request', (x) => x.action === 'opened'), 'pull_request'), 'the render action needs a push event, but this workflow ran on "pull_request": use "on: push"');
});

test('GITHUB_EVENT_PATH: unset, missing and non-JSON files are UserErrors naming the variable', () => {
  userError(() => readEventPayload({}), 'GITHUB_EVENT_PATH is not set: this action runs inside a GitHub Actions workflow');
  const dir = mkdtempSync(path.join(tmpdir(), 'event-'));
  const bad = path.join(dir, 'event.json');
  writeFileSync(bad, '[1, 2]');
  userError(() => readEventPayload({ GITHUB_EVENT_PATH: bad }), `GITHUB_EVENT_PATH: ${bad} is not a webhook payload: not a JSON object`);
  assert.throws(() => readEventPayload({ GITHUB_EVENT_PATH: path.join(dir, 'missing.json') }), /GITHUB_EVENT_PATH: cannot read/);
});

test('GITHUB_REPOSITORY must be owner/repo', () => {
  assert.equal(repositoryFromEnv({ GITHUB_REPOSITORY: 'acme/net' }), { owner: 'acme', repo: 'net' });
  userError(() => repositoryFromEnv({ GITHUB_REPOSITORY: 'acme' }), 'GITHUB_REPOSITORY must be "owner/repo", got "acme"');
});

test.run();
