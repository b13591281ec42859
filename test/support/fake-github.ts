/**
 * A local stand-in for GitHub's REST API (node:http on 127.0.0.1, random port) for the actions'
 * tests. Every request is checked against GitHub's own API description (@octokit/openapi): an
 * unknown route answers 404 as GitHub does, bad parameters or bodies answer 422, and each such
 * request is recorded in `violations`, which a test asserts empty. The operations the actions use
 * are implemented with GitHub's semantics (issue comments with pagination and Link headers, the
 * authenticated user, 403 for an installation token on GET /user); every response the fake sends
 * is itself checked against the description, so the fake cannot drift from GitHub silently.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { githubOpenApi, type RouteMatch } from './openapi-check.js';

export interface FakeUser {
  readonly login: string;
  readonly id: number;
  readonly type: 'User' | 'Bot';
}

export const ACTIONS_BOT: FakeUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export interface TokenIdentity extends FakeUser {
  /** An installation token (GITHUB_TOKEN, app): GET /user answers 403, as on GitHub. */
  readonly installation: boolean;
}

export interface FakeGitHubOptions {
  readonly owner: string;
  readonly repo: string;
  /** Pull requests (issues) that exist. */
  readonly pullNumbers: readonly number[];
  /** Accepted tokens and whom each acts as. */
  readonly tokens: Readonly<Record<string, TokenIdentity>>;
  /** Path prefix of the API root: '' for api.github.com, '/api/v3' for GitHub Enterprise Server. */
  readonly apiPrefix?: string;
}

export interface FakeComment {
  readonly id: number;
  readonly issueNumber: number;
  readonly user: FakeUser;
  body: string;
  readonly createdAt: string;
  updatedAt: string;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path without the API prefix, with its query string. */
  readonly url: string;
  readonly operationId: string | undefined;
  readonly status: number;
  readonly body: unknown;
  /** performance.now() when the request arrived (timing tests). */
  readonly at: number;
}

export interface InjectedFailure {
  /** Operation to fail, e.g. `issues/create-comment`. */
  readonly operationId: string;
  readonly status: number;
  /** How many matching requests fail (default 1). */
  readonly times?: number;
  readonly message?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const DOCS = 'https://docs.github.com/rest';
const MAX_COMMENT_CHARS = 65536;

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  /** Requests that GitHub's description does not allow, and responses of the fake that it does not describe. */
  readonly violations: string[] = [];
  private readonly comments: FakeComment[] = [];
  private readonly failures: { f: InjectedFailure; left: number }[] = [];
  private writeDenial: 403 | 404 | undefined;
  private nextCommentId = 1_000_000_001;
  private clock = 0;
  private server!: http.Server;
  private origin = '';

  private constructor(private readonly options: FakeGitHubOptions) {}

  static async start(options: FakeGitHubOptions): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    githubOpenApi(); // parse the description before the first request, not during it
    fake.server = http.createServer((req, res) => {
      fake.handle(req, res).catch((e) => {
        fake.violations.push(`fake server crashed on ${req.method} ${req.url}: ${(e as Error).stack}`);
        res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.origin = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The API root, as GITHUB_API_URL gives it. */
  get url(): string {
    return `${this.origin}${this.options.apiPrefix ?? ''}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Comments of an issue, oldest first. */
  commentsOf(issueNumber: number): readonly FakeComment[] {
    return this.comments.filter((c) => c.issueNumber === issueNumber);
  }

  addComment(issueNumber: number, user: FakeUser, body: string): FakeComment {
    const at = this.tick();
    const c: FakeComment = { id: this.nextCommentId++, issueNumber, user, body, createdAt: at, updatedAt: at };
    this.comments.push(c);
    return c;
  }

  failNext(f: InjectedFailure): void {
    this.failures.push({ f, left: f.times ?? 1 });
  }

  /** Comment writes answer 403 (a read-only token: fork pull request) or 404 (no access). */
  denyCommentWrites(status: 403 | 404 | undefined): void {
    this.writeDenial = status;
  }

  /** Requests of one operation, in order. */
  requestsOf(operationId: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operationId === operationId);
  }

  private tick(): string {
    const t = new Date(Date.UTC(2024, 0, 1) + 1000 * this.clock++);
    return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = performance.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const full = new URL(req.url ?? '/', this.origin);
    const method = req.method ?? 'GET';
    const prefix = this.options.apiPrefix ?? '';
    const where = `${method} ${full.pathname}${full.search}`;
    let body: unknown;
    let match: RouteMatch | null = null;
    const violationsBefore = this.violations.length;
    const reply = ((): Reply => {
      if (!full.pathname.startsWith(`${prefix}/`)) {
        this.violations.push(`${where}: outside the API root ${prefix || '/'}`);
        return notFound();
      }
      const path = full.pathname.slice(prefix.length);
      match = githubOpenApi().match(method, path);
      if (!match) {
        this.violations.push(`${where}: no such operation in GitHub's REST API description`);
        return notFound();
      }
      if (raw !== '') {
        try {
          body = JSON.parse(raw);
        } catch {
          this.violations.push(`${where}: body is not JSON`);
          return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' } };
        }
      }
      const problems = [...githubOpenApi().checkParameters(match, full.searchParams), ...githubOpenApi().checkRequestBody(match, body)];
      if (problems.length) {
        this.violations.push(`${where} (${match.operation.operationId}): ${problems.join('; ')}`);
        return { status: 422, body: { message: `Invalid request.\n\n${problems.join('\n')}`, documentation_url: DOCS, status: '422' } };
      }
      const who = this.authenticate(req.headers.authorization);
      if (!who) return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS, status: '401' } };
      if (!req.headers['user-agent']) {
        this.violations.push(`${where}: no User-Agent header (GitHub refuses such requests)`);
        return { status: 403, body: { message: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header', status: '403' } };
      }
      const injected = this.takeFailure(match.operation.operationId);
      if (injected) return injected;
      return this.operate(match, who, body, full);
    })();
    const m = match as RouteMatch | null;
    this.requests.push({ method, url: `${full.pathname.slice(prefix.length)}${full.search}`, operationId: m?.operation.operationId, status: reply.status, body, at });
    // The fake's own answer is held to the description too, unless the request already was not.
    if (m && reply.status < 500 && this.violations.length === violationsBefore) {
      const problems = githubOpenApi().checkResponse(m, reply.status, reply.body);
      if (problems.length) this.violations.push(`fake's own response to ${where} (${reply.status}): ${problems.slice(0, 5).join('; ')}`);
    }
    const text = reply.status === 204 ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `FAKE:${this.requests.length}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-used': '1',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...reply.headers,
    });
    res.end(text);
  }

  private authenticate(header: string | undefined): TokenIdentity | undefined {
    const m = /^(?:token|bearer) (.+)$/i.exec(header ?? '');
    return m ? this.options.tokens[m[1]] : undefined;
  }

  private takeFailure(operationId: string): Reply | undefined {
    const i = this.failures.findIndex((x) => x.f.operationId === operationId && x.left > 0);
    if (i < 0) return undefined;
    const entry = this.failures[i];
    entry.left--;
    if (entry.left === 0) this.failures.splice(i, 1);
    const { status, message, headers } = entry.f;
    const text = message ?? (status >= 500 ? 'Server Error' : 'Injected failure');
    return { status, body: status >= 500 ? { message: text } : { message: text, documentation_url: DOCS, status: String(status) }, headers: { ...headers } };
  }

  private operate(match: RouteMatch, who: TokenIdentity, body: unknown, url: URL): Reply {
    const p = match.pathParams;
    const sameRepo = p.owner === undefined || (p.owner.toLowerCase() === this.options.owner.toLowerCase() && p.repo?.toLowerCase() === this.options.repo.toLowerCase());
    switch (match.operation.operationId) {
      case 'users/get-authenticated':
        if (who.installation) return integrationForbidden('users/users#get-the-authenticated-user');
        return { status: 200, body: publicUser(who) };
      case 'issues/list-comments': {
        const n = Number(p.issue_number);
        if (!sameRepo || !this.options.pullNumbers.includes(n)) return notFound();
        if (this.writeDenial === 404) return notFound();
        const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
        const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
        const all = this.commentsOf(n);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const items = all.slice((page - 1) * perPage, page * perPage).map((c) => this.commentJson(c));
        return { status: 200, body: items, headers: linkHeader(url, page, last, perPage) };
      }
      case 'issues/create-comment': {
        const n = Number(p.issue_number);
        if (!sameRepo || !this.options.pullNumbers.includes(n)) return notFound();
        if (this.writeDenial === 404) return notFound();
        if (this.writeDenial === 403) return integrationForbidden('issues/comments#create-an-issue-comment');
        const text = (body as { body: string }).body;
        if (text.length > MAX_COMMENT_CHARS) return tooLong();
        const c = this.addComment(n, who, text);
        return { status: 201, body: this.commentJson(c), headers: { location: this.commentJson(c).url } };
      }
      case 'issues/update-comment': {
        const c = this.comments.find((x) => x.id === Number(p.comment_id));
        if (!sameRepo || !c) return notFound();
        if (this.writeDenial === 404) return notFound();
        if (this.writeDenial === 403) return integrationForbidden('issues/comments#update-an-issue-comment');
        // An installation token may not edit someone else's comment.
        if (who.installation && c.user.id !== who.id) return integrationForbidden('issues/comments#update-an-issue-comment');
        const text = (body as { body: string }).body;
        if (text.length > MAX_COMMENT_CHARS) return tooLong();
        c.body = text;
        c.updatedAt = this.tick();
        return { status: 200, body: this.commentJson(c) };
      }
      default:
        this.violations.push(`${match.operation.method} ${match.operation.template} (${match.operation.operationId}): described by GitHub but not used by the actions (the fake does not implement it)`);
        return notFound();
    }
  }

  private commentJson(c: FakeComment) {
    const { owner, repo } = this.options;
    return {
      id: c.id,
      node_id: Buffer.from(`IssueComment${c.id}`).toString('base64'),
      url: `${this.url}/repos/${owner}/${repo}/issues/comments/${c.id}`,
      html_url: `https://github.com/${owner}/${repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
      body: c.body,
      user: simpleUser(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      issue_url: `${this.url}/repos/${owner}/${repo}/issues/${c.issueNumber}`,
      author_association: c.user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
      performed_via_github_app: null,
    };
  }
}

function notFound(): Reply {
  return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
}

function integrationForbidden(doc: string): Reply {
  return { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: `${DOCS}/${doc}`, status: '403' } };
}

function tooLong(): Reply {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${MAX_COMMENT_CHARS} characters)` }],
      documentation_url: `${DOCS}/issues/comments#create-an-issue-comment`,
      status: '422',
    },
  };
}

function linkHeader(url: URL, page: number, last: number, perPage: number): Record<string, string> {
  const at = (n: number) => {
    const u = new URL(url);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(n));
    return `<${u.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
  if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.length ? { link: links.join(', ') } : {};
}

function simpleUser(u: FakeUser) {
  const api = `https://api.github.com/users/${encodeURIComponent(u.login)}`;
  return {
    login: u.login,
    id: u.id,
    node_id: Buffer.from(`${u.type === 'Bot' ? '03:Bot' : '04:User'}${u.id}`).toString('base64'),
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${encodeURIComponent(u.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: u.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

function publicUser(u: FakeUser) {
  return {
    ...simpleUser(u),
    name: null,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 1,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: '2020-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
  };
}
