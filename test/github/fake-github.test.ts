/**
 * The fake GitHub holds requests to GitHub's API description: these tests make sure it refuses
 * what GitHub would refuse, so a passing end-to-end test means something.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ACTIONS_BOT, FakeGitHub } from '../support/fake-github.js';
import { githubOpenApi } from '../support/openapi-check.js';

interface Ctx {
  fake: FakeGitHub;
}

const test = suite<Ctx>('fake GitHub', {} as Ctx);
const AUTH = { authorization: 'token t', 'user-agent': 'test', 'content-type': 'application/json' };

test.before.each(async (ctx) => {
  ctx.fake = await FakeGitHub.start({ owner: 'acme', repo: 'net', pullNumbers: [7], tokens: { t: { ...ACTIONS_BOT, installation: true } } });
});
test.after.each(async (ctx) => {
  await ctx.fake.close();
});

async function call(ctx: Ctx, method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH) {
  const res = await fetch(`${ctx.fake.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

test('routes: a literal segment wins over a parameter, as in GitHub', () => {
  const api = githubOpenApi();
  assert.is(api.match('PATCH', '/repos/a/b/issues/comments/5')?.operation.operationId, 'issues/update-comment');
  assert.is(api.match('GET', '/repos/a/b/issues/7/comments')?.operation.operationId, 'issues/list-comments');
  assert.is(api.match('GET', '/repos/a/b/issues/comments')?.operation.operationId, 'issues/list-comments-for-repo');
  assert.is(api.match('DELETE', '/repos/a/b/issues/7/comments'), null);
});

test('an unknown route answers 404 like GitHub and is recorded as a violation', async (ctx) => {
  const r = await call(ctx, 'GET', '/repos/acme/net/no-such-thing');
  assert.is(r.status, 404);
  assert.equal(r.json, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
  assert.equal(ctx.fake.violations, ["GET /repos/acme/net/no-such-thing: no such operation in GitHub's REST API description"]);
});

test('a body that breaks the schema (no `body`, wrong type) is a 422 and a violation', async (ctx) => {
  const r = await call(ctx, 'POST', '/repos/acme/net/issues/7/comments', { text: 'hi' });
  assert.is(r.status, 422);
  assert.is(ctx.fake.violations.length, 1);
  assert.match(ctx.fake.violations[0], 'issues/create-comment): body: missing required property body');
  const r2 = await call(ctx, 'PATCH', '/repos/acme/net/issues/comments/1', { body: 5 });
  assert.is(r2.status, 422);
  assert.match(ctx.fake.violations[1], 'body.body: expected string, got number');
});

test('parameters: a non-integer issue number and an undescribed query parameter are violations', async (ctx) => {
  await call(ctx, 'GET', '/repos/acme/net/issues/seven/comments');
  await call(ctx, 'GET', '/repos/acme/net/issues/7/comments?sort=desc');
  assert.match(ctx.fake.violations[0], 'path parameter issue_number: expected integer, got string');
  assert.match(ctx.fake.violations[1], 'query parameter sort is not described for issues/list-comments');
});

test('an operation the actions do not use is a violation even though GitHub has it', async (ctx) => {
  const r = await call(ctx, 'DELETE', '/repos/acme/net/issues/comments/1');
  assert.is(r.status, 404);
  assert.match(ctx.fake.violations[0], 'issues/delete-comment');
});

test('authentication: no or a wrong token is 401 Bad credentials; an installation token gets 403 on GET /user', async (ctx) => {
  const none = await call(ctx, 'GET', '/user', undefined, { 'user-agent': 'test' });
  assert.equal([none.status, none.json?.message], [401, 'Bad credentials']);
  const wrong = await call(ctx, 'GET', '/user', undefined, { ...AUTH, authorization: 'token nope' });
  assert.is(wrong.status, 401);
  const user = await call(ctx, 'GET', '/user');
  assert.equal([user.status, user.json?.message], [403, 'Resource not accessible by integration']);
  assert.equal(ctx.fake.violations, []);
});

test("the fake's own responses fit GitHub's response schemas (comment objects, errors)", async (ctx) => {
  const created = await call(ctx, 'POST', '/repos/acme/net/issues/7/comments', { body: 'hello' });
  assert.is(created.status, 201);
  assert.is((created.json?.user as { login: string }).login, 'github-actions[bot]');
  const listed = await call(ctx, 'GET', '/repos/acme/net/issues/7/comments?per_page=100');
  assert.is(listed.status, 200);
  const long = await call(ctx, 'POST', '/repos/acme/net/issues/7/comments', { body: 'x'.repeat(65537) });
  assert.is(long.status, 422);
  assert.match(JSON.stringify(long.json), 'body is too long (maximum is 65536 characters)');
  const missing = await call(ctx, 'POST', '/repos/acme/net/issues/8/comments', { body: 'x' });
  assert.is(missing.status, 404);
  assert.equal(ctx.fake.violations, []);
});

test('the schema checker catches a response that lacks required fields', () => {
  const api = githubOpenApi();
  const m = api.match('GET', '/repos/a/b/issues/7/comments')!;
  const problems = api.checkResponse(m, 200, [{ id: 1, body: 'x' }]);
  assert.ok(problems.some((p) => p.includes('missing required property node_id')), problems.join('\n'));
  assert.equal(api.checkResponse(m, 418, {}), ['status 418 is not described for issues/list-comments']);
});

test.run();
