/**
 * The workflow's event, as the runner hands it over: GITHUB_EVENT_NAME and the webhook payload in
 * the JSON file at GITHUB_EVENT_PATH. Only the fields the actions use are typed, and each is
 * checked, so a wrong trigger gives a sentence saying which, not a TypeError.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../diagnostics.js';

export interface Repository {
  readonly owner: string;
  readonly repo: string;
}

export interface PullRequestEvent {
  readonly number: number;
  readonly baseSha: string;
  readonly headSha: string;
  /** The head lives in another repository (a fork): the token is then read-only. */
  readonly fromFork: boolean;
}

export interface PushEvent {
  /** The branch tip before the push; undefined for a new branch (GitHub sends forty zeros). */
  readonly before: string | undefined;
  readonly after: string;
  readonly ref: string;
}

type Json = Record<string, unknown>;

/** Parses GITHUB_EVENT_PATH; a missing or unreadable file is a UserError naming the variable. */
export function readEventPayload(env: NodeJS.ProcessEnv): Json {
  const file = env.GITHUB_EVENT_PATH;
  if (!file) throw new UserError('GITHUB_EVENT_PATH is not set: this action runs inside a GitHub Actions workflow');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`GITHUB_EVENT_PATH: cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    const payload: unknown = JSON.parse(text);
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('not a JSON object');
    return payload as Json;
  } catch (e) {
    throw new UserError(`GITHUB_EVENT_PATH: ${file} is not a webhook payload: ${(e as Error).message}`);
  }
}

/** `owner/repo` from GITHUB_REPOSITORY. */
export function repositoryFromEnv(env: NodeJS.ProcessEnv): Repository {
  const full = env.GITHUB_REPOSITORY ?? '';
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(full);
  if (!m) throw new UserError(`GITHUB_REPOSITORY must be "owner/repo", got ${JSON.stringify(full)}`);
  return { owner: m[1], repo: m[2] };
}

/** The pull request of a `pull_request` / `pull_request_target` payload. */
export function pullRequestOf(payload: Json, eventName: string | undefined): PullRequestEvent {
  const pr = payload.pull_request as Json | undefined;
  if (!pr || typeof pr !== 'object') {
    throw new UserError(
      `the check action needs a pull_request event, but this workflow ran on ${JSON.stringify(eventName ?? 'an unknown event')}: use "on: pull_request"`,
    );
  }
  const number = pr.number ?? payload.number;
  const base = pr.base as Json | undefined;
  const head = pr.head as Json | undefined;
  const baseSha = base?.sha;
  const headSha = head?.sha;
  if (typeof number !== 'number' || !isSha(baseSha) || !isSha(headSha)) {
    throw new UserError('GITHUB_EVENT_PATH: the pull_request payload lacks number, base.sha or head.sha');
  }
  const baseRepo = (base?.repo as Json | undefined)?.full_name;
  const headRepo = (head?.repo as Json | null | undefined)?.full_name;
  return { number, baseSha, headSha, fromFork: typeof headRepo !== 'string' || headRepo !== baseRepo };
}

/** The branch push of a `push` payload. */
export function pushOf(payload: Json, eventName: string | undefined): PushEvent {
  const { before, after, ref } = payload;
  if (typeof ref !== 'string' || !isSha(after)) {
    throw new UserError(
      `the render action needs a push event, but this workflow ran on ${JSON.stringify(eventName ?? 'an unknown event')}: use "on: push"`,
    );
  }
  return { before: isSha(before) && !/^0+$/.test(before) ? before : undefined, after, ref };
}

function isSha(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(v);
}
