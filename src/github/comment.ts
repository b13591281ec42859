/**
 * The sticky pull-request comment: one per pull request, found by a hidden marker on its first
 * line AND by its author being the token's own identity, updated in place on every run. A comment
 * that someone else wrote with the same marker is never touched (it could be bait: editing it would
 * let anyone make the bot's report say what they like).
 */
import type { GitHub } from './client.js';
import { httpStatusOf } from './client.js';

export interface Identity {
  readonly login: string;
  /** Known for users (GET /user); absent when only the login is known. */
  readonly id?: number;
}

/** Who GITHUB_TOKEN comments as: the GitHub Actions app's bot user. */
export const GITHUB_ACTIONS_BOT: Identity = { login: 'github-actions[bot]', id: 41898282 };

/** GitHub refuses issue comments longer than this many characters (422 "body is too long"). */
export const MAX_COMMENT_CHARS = 65536;

export interface IssueRef {
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
}

export interface StickyComment {
  readonly id: number;
  readonly url: string;
  readonly body: string;
}

export interface UpsertResult {
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly id: number;
  readonly url: string;
}

/**
 * The token cannot write the comment (403: read-only token, fork pull request; 404: no access to
 * the issue). Not a failure of the check: the caller reports elsewhere and says why.
 */
export class CommentNotPermitted extends Error {
  constructor(
    readonly status: number,
    readonly githubMessage: string,
  ) {
    super(`GitHub answered ${status} ${githubMessage}`);
    this.name = 'CommentNotPermitted';
  }
}

/**
 * The identity the token acts as. A user or app-user token can ask GET /user; an installation
 * token (GITHUB_TOKEN) is refused there with 403 "Resource not accessible by integration", and
 * then comments as `fallback` (github-actions[bot] for GITHUB_TOKEN).
 */
export async function tokenIdentity(gh: GitHub, fallback: Identity = GITHUB_ACTIONS_BOT): Promise<Identity> {
  try {
    const { data } = await gh.rest.users.getAuthenticated();
    return { login: data.login, id: data.id };
  } catch (e) {
    const status = httpStatusOf(e);
    if (status === 403 || status === 404) return fallback;
    throw e;
  }
}

/** Every comment on the issue, oldest first, across all pages. */
async function listAllComments(gh: GitHub, ref: IssueRef) {
  return gh.paginate(gh.rest.issues.listComments, { owner: ref.owner, repo: ref.repo, issue_number: ref.issueNumber, per_page: 100 });
}

function sameIdentity(user: { login: string; id: number } | null | undefined, who: Identity): boolean {
  if (!user) return false;
  if (who.id !== undefined && user.id !== who.id) return false;
  // Logins are case-insensitive on GitHub.
  return user.login.toLowerCase() === who.login.toLowerCase();
}

/** The oldest comment that starts with `marker` and was written by `author`; null when none. */
export async function findStickyComment(gh: GitHub, ref: IssueRef, marker: string, author: Identity): Promise<StickyComment | null> {
  const comments = await guarded(() => listAllComments(gh, ref));
  for (const c of comments) {
    if (typeof c.body === 'string' && firstLine(c.body) === marker && sameIdentity(c.user, author)) {
      return { id: c.id, url: c.html_url, body: c.body };
    }
  }
  return null;
}

/**
 * Creates the sticky comment, or updates it in place. `body` must start with `marker` on its own
 * line (that is how the next run finds it). An identical body is left alone: no write, no
 * notification, no "edited" mark.
 */
export async function upsertStickyComment(
  gh: GitHub,
  ref: IssueRef,
  body: string,
  options: { readonly marker: string; readonly author: Identity },
): Promise<UpsertResult> {
  if (firstLine(body) !== options.marker) throw new Error(`the comment body must start with the marker line ${options.marker}`);
  if (body.length > MAX_COMMENT_CHARS) {
    throw new Error(`the comment body has ${body.length} characters; GitHub takes at most ${MAX_COMMENT_CHARS}`);
  }
  const existing = await findStickyComment(gh, ref, options.marker, options.author);
  if (existing && existing.body === body) return { action: 'unchanged', id: existing.id, url: existing.url };
  if (existing) {
    const { data } = await guarded(() =>
      gh.rest.issues.updateComment({ owner: ref.owner, repo: ref.repo, comment_id: existing.id, body }),
    );
    return { action: 'updated', id: data.id, url: data.html_url };
  }
  const { data } = await guarded(() =>
    gh.rest.issues.createComment({ owner: ref.owner, repo: ref.repo, issue_number: ref.issueNumber, body }),
  );
  return { action: 'created', id: data.id, url: data.html_url };
}

/** Turns a 403/404 answer into CommentNotPermitted; anything else propagates as is. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const status = httpStatusOf(e);
    if (status === 403 || status === 404) throw new CommentNotPermitted(status, githubMessageOf(e));
    throw e;
  }
}

/** GitHub's own `message` from an error response ("Resource not accessible by integration"). */
function githubMessageOf(e: unknown): string {
  const data = (e as { response?: { data?: unknown } }).response?.data;
  const message = (data as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : (e as Error).message;
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '').trim();
}
