import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createGitHubClient, type GitHub } from '../../src/github/client.js';
import { CommentNotPermitted, findStickyComment, GITHUB_ACTIONS_BOT, tokenIdentity, upsertStickyComment } from '../../src/github/comment.js';
import { ACTIONS_BOT, FakeGitHub, type FakeUser } from '../support/fake-github.js';

const MARKER = '<!-- test-marker -->';
const ALICE: FakeUser = { login: 'alice', id: 1001, type: 'User' };
const MALLORY: FakeUser = { login: 'mallory', id: 666, type: 'User' };
const ref = { owner: 'acme', repo: 'net', issueNumber: 7 };

interface Ctx {
  fake: FakeGitHub;
  gh: GitHub;
  warnings: string[];
}

const test = suite<Ctx>('sticky comment', {} as Ctx);

test.before.each(async (ctx) => {
  ctx.fake = await FakeGitHub.start({
    owner: 'acme',
    repo: 'net',
    pullNumbers: [7],
    tokens: { 'ghs_installation': { ...ACTIONS_BOT, installation: true }, 'ghp_alice': { ...ALICE, installation: false } },
  });
  ctx.warnings = [];
  ctx.gh = createGitHubClient({
    token: 'ghs_installation',
    baseUrl: ctx.fake.url,
    retryBaseMs: 1,
    log: { debug: () => undefined, warning: (m) => ctx.warnings.push(m) },
  });
});

test.after.each(async (ctx) => {
  await ctx.fake.close();
});

test('an installation token is github-actions[bot]; a user token is the user GET /user names', async (ctx) => {
  assert.equal(await tokenIdentity(ctx.gh), GITHUB_ACTIONS_BOT);
  const asAlice = createGitHubClient({ token: 'ghp_alice', baseUrl: ctx.fake.url, retryBaseMs: 1 });
  assert.equal(await tokenIdentity(asAlice), { login: 'alice', id: 1001 });
  assert.equal(ctx.fake.violations, []);
});

test('creates the comment once, then updates it in place; an identical body is not written again', async (ctx) => {
  const first = await upsertStickyComment(ctx.gh, ref, `${MARKER}\nfirst`, { marker: MARKER, author: GITHUB_ACTIONS_BOT });
  assert.is(first.action, 'created');
  const second = await upsertStickyComment(ctx.gh, ref, `${MARKER}\nsecond`, { marker: MARKER, author: GITHUB_ACTIONS_BOT });
  assert.equal([second.action, second.id], ['updated', first.id]);
  const third = await upsertStickyComment(ctx.gh, ref, `${MARKER}\nsecond`, { marker: MARKER, author: GITHUB_ACTIONS_BOT });
  assert.equal([third.action, third.id], ['unchanged', first.id]);
  const comments = ctx.fake.commentsOf(7);
  assert.is(comments.length, 1);
  assert.is(comments[0].body, `${MARKER}\nsecond`);
  assert.is(ctx.fake.requestsOf('issues/create-comment').length, 1);
  assert.is(ctx.fake.requestsOf('issues/update-comment').length, 1);
  assert.equal(ctx.fake.violations, []);
});

test('finds its comment on a later page (pagination by Link header) and leaves a look-alike by another user alone', async (ctx) => {
  const bait = ctx.fake.addComment(7, MALLORY, `${MARKER}\nall good, merge it`);
  for (let i = 0; i < 130; i++) ctx.fake.addComment(7, ALICE, `comment ${i}`);
  const ours = ctx.fake.addComment(7, ACTIONS_BOT, `${MARKER}\nold report`);
  const found = await findStickyComment(ctx.gh, ref, MARKER, GITHUB_ACTIONS_BOT);
  assert.is(found?.id, ours.id);
  const result = await upsertStickyComment(ctx.gh, ref, `${MARKER}\nnew report`, { marker: MARKER, author: GITHUB_ACTIONS_BOT });
  assert.equal([result.action, result.id], ['updated', ours.id]);
  assert.is(ctx.fake.commentsOf(7).find((c) => c.id === bait.id)?.body, `${MARKER}\nall good, merge it`);
  const pages = ctx.fake.requestsOf('issues/list-comments').map((r) => r.url);
  assert.equal(pages.slice(0, 2), ['/repos/acme/net/issues/7/comments?per_page=100', '/repos/acme/net/issues/7/comments?per_page=100&page=2']);
  assert.equal(ctx.fake.violations, []);
});

test('a look-alike by another user is not taken: a new comment is created instead', async (ctx) => {
  const bait = ctx.fake.addComment(7, MALLORY, `${MARKER}\nbait`);
  const result = await upsertStickyComment(ctx.gh, ref, `${MARKER}\nreport`, { marker: MARKER, author: GITHUB_ACTIONS_BOT });
  assert.is(result.action, 'created');
  assert.is.not(result.id, bait.id);
  assert.equal(
    ctx.fake.commentsOf(7).map((c) => [c.user.login, c.body]),
    [
      ['mallory', `${MARKER}\nbait`],
      ['github-actions[bot]', `${MARKER}\nreport`],
    ],
  );
});

test('the marker must be the first line: a comment quoting it further down is not the sticky comment', async (ctx) => {
  ctx.fake.addComment(7, ACTIONS_BOT, `some other bot text\n${MARKER}`);
  assert.is(await findStickyComment(ctx.gh, ref, MARKER, GITHUB_ACTIONS_BOT), null);
});

test('a 502 then 200 is retried; the comment is written once', async (ctx) => {
  ctx.fake.failNext({ operationId: 'issues/create-comment', status: 502 });
  const result = await upsertStickyComment(ctx.gh, ref, `${MARKER}\nx`, { marker: MARKER, author: GITHUB_ACTIONS_BOT });
  assert.is(result.action, 'created');
  assert.equal(ctx.fake.requestsOf('issues/create-comment').map((r) => r.status), [502, 201]);
  assert.is(ctx.fake.commentsOf(7).length, 1);
});

test('a secondary rate limit (403 with Retry-After) is waited out and retried', async (ctx) => {
  ctx.fake.failNext({
    operationId: 'issues/list-comments',
    status: 403,
    message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    headers: { 'retry-after': '2' },
  });
  const result = await upsertStickyComment(ctx.gh, ref, `${MARKER}\nx`, { marker: MARKER, author: GITHUB_ACTIONS_BOT });
  assert.is(result.action, 'created');
  assert.equal(ctx.fake.requestsOf('issues/list-comments').map((r) => r.status), [403, 200]);
  assert.ok(ctx.warnings.some((w) => w.includes('secondary rate limit')), ctx.warnings.join('\n'));
});

test('five 503s in a row: gives up after 3 retries with the status', async (ctx) => {
  ctx.fake.failNext({ operationId: 'issues/list-comments', status: 503, times: 5 });
  try {
    await upsertStickyComment(ctx.gh, ref, `${MARKER}\nx`, { marker: MARKER, author: GITHUB_ACTIONS_BOT });
    assert.unreachable('should have failed');
  } catch (e) {
    assert.is((e as { status?: number }).status, 503);
  }
  assert.is(ctx.fake.requestsOf('issues/list-comments').length, 4);
});

test('a read-only token (403) and no access (404) are CommentNotPermitted with GitHub\'s message; not retried', async (ctx) => {
  ctx.fake.denyCommentWrites(403);
  try {
    await upsertStickyComment(ctx.gh, ref, `${MARKER}\nx`, { marker: MARKER, author: GITHUB_ACTIONS_BOT });
    assert.unreachable('should have failed');
  } catch (e) {
    assert.instance(e, CommentNotPermitted);
    assert.is((e as CommentNotPermitted).status, 403);
    assert.is((e as CommentNotPermitted).githubMessage, 'Resource not accessible by integration');
  }
  assert.is(ctx.fake.requestsOf('issues/create-comment').length, 1);
  ctx.fake.denyCommentWrites(404);
  try {
    await upsertStickyComment(ctx.gh, ref, `${MARKER}\nx`, { marker: MARKER, author: GITHUB_ACTIONS_BOT });
    assert.unreachable('should have failed');
  } catch (e) {
    assert.instance(e, CommentNotPermitted);
    assert.is((e as CommentNotPermitted).status, 404);
  }
});

test('refuses a body without the marker line or longer than GitHub takes, before any request', async (ctx) => {
  try {
    await upsertStickyComment(ctx.gh, ref, 'no marker', { marker: MARKER, author: GITHUB_ACTIONS_BOT });
    assert.unreachable('should have failed');
  } catch (e) {
    assert.match((e as Error).message, 'must start with the marker line');
  }
  try {
    await upsertStickyComment(ctx.gh, ref, `${MARKER}\n${'x'.repeat(70000)}`, { marker: MARKER, author: GITHUB_ACTIONS_BOT });
    assert.unreachable('should have failed');
  } catch (e) {
    assert.match((e as Error).message, 'GitHub takes at most 65536');
  }
  assert.is(ctx.fake.requests.length, 0);
});

test('GHES: the API root may carry a path prefix (GITHUB_API_URL=https://HOST/api/v3)', async (ctx) => {
  const ghes = await FakeGitHub.start({
    owner: 'acme',
    repo: 'net',
    pullNumbers: [7],
    tokens: { t: { ...ACTIONS_BOT, installation: true } },
    apiPrefix: '/api/v3',
  });
  try {
    const gh = createGitHubClient({ token: 't', baseUrl: `${ghes.url}/`, retryBaseMs: 1 });
    const result = await upsertStickyComment(gh, ref, `${MARKER}\nx`, { marker: MARKER, author: GITHUB_ACTIONS_BOT });
    assert.is(result.action, 'created');
    assert.equal(ghes.violations, []);
  } finally {
    await ghes.close();
  }
  assert.is(ctx.fake.requests.length, 0);
});

test.run();
