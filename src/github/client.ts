/**
 * The one place that talks HTTP to GitHub: an Octokit with the retry and throttling plugins, so
 * every call (comments, identity) gets the same backoff for 5xx answers and rate limits. The
 * token goes into the Authorization header only; nothing here logs a request or its headers.
 */
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version.js';

const GitHubOctokit = Octokit.plugin(retry, throttling);
export type GitHub = InstanceType<typeof GitHubOctokit>;

/** Milliseconds per unit of backoff: plugin-retry waits 1, 4, 9 units; a rate limit waits its Retry-After seconds. */
export const DEFAULT_RETRY_BASE_MS = 1000;
/** Tests shrink every backoff (API and git push) through this variable; production never sets it. */
export const RETRY_BASE_ENV = 'CONTRAIL_GITOPS_RETRY_BASE_MS';

/** Retries of one request after a 5xx / network error (plugin-retry), or after a secondary rate limit. */
const MAX_RETRIES = 3;
/** A primary rate limit is waited out once, and only when it resets within this many seconds. */
const MAX_PRIMARY_LIMIT_WAIT_S = 60;

export interface ClientLog {
  debug(message: string): void;
  warning(message: string): void;
}

export interface ClientOptions {
  readonly token: string;
  /** REST API root: `https://api.github.com`, or `https://HOST/api/v3` on GitHub Enterprise Server. */
  readonly baseUrl: string;
  /** Unit of every backoff in ms (default 1000). */
  readonly retryBaseMs?: number;
  readonly log?: ClientLog;
}

const SILENT: ClientLog = { debug: () => undefined, warning: () => undefined };

export function createGitHubClient(options: ClientOptions): GitHub {
  const base = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  const log = options.log ?? SILENT;
  return new GitHubOctokit({
    auth: options.token,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: `${PACKAGE_NAME}/${PACKAGE_VERSION}`,
    // Octokit's own lines (`POST /repos/... - 403 with id ... in 80ms`, deprecations) go to the debug
    // log: the caller decides what a failed request means (a 403 on GET /user is expected). They
    // name method, URL and status, never a header.
    log: { debug: log.debug, info: log.debug, warn: log.debug, error: log.debug },
    retry: { retries: MAX_RETRIES, retryAfterBaseValue: base },
    throttle: {
      retryAfterBaseValue: base,
      // GitHub asks for a pause between writes (1 s) and between writes that notify (3 s): the
      // plugin's own spacing, scaled with the same unit as every other wait.
      write: new Bottleneck.Group({ id: 'contrail-gitops-write', maxConcurrent: 1, minTime: base }),
      notifications: new Bottleneck.Group({ id: 'contrail-gitops-notifications', maxConcurrent: 1, minTime: 3 * base }),
      search: new Bottleneck.Group({ id: 'contrail-gitops-search', maxConcurrent: 1, minTime: 2 * base }),
      onRateLimit: (retryAfter, req, _octokit, retryCount) => {
        const again = retryCount === 0 && retryAfter <= MAX_PRIMARY_LIMIT_WAIT_S;
        log.warning(
          `GitHub API rate limit reached for ${req.method} ${req.url}; ${again ? `retrying in ${retryAfter} s` : `it resets in ${retryAfter} s, not waiting`}`,
        );
        return again;
      },
      onSecondaryRateLimit: (retryAfter, req, _octokit, retryCount) => {
        const again = retryCount < MAX_RETRIES;
        log.warning(`GitHub API secondary rate limit for ${req.method} ${req.url}; ${again ? `retrying in ${retryAfter} s` : 'giving up'}`);
        return again;
      },
    },
  });
}

/** The backoff unit from the environment: `CONTRAIL_GITOPS_RETRY_BASE_MS` when it is a number, else the default. */
export function retryBaseMsFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env[RETRY_BASE_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_RETRY_BASE_MS;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_RETRY_BASE_MS;
}

/** The REST API root of the GitHub that runs the workflow (GHES sets GITHUB_API_URL). */
export function apiUrlFromEnv(env: NodeJS.ProcessEnv): string {
  return env.GITHUB_API_URL?.trim() || 'https://api.github.com';
}

/** HTTP status of a failed Octokit request (RequestError), or undefined for anything else. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
