/**
 * Runs a bundled action as the GitHub runner does: `node actions/<name>/dist/index.js` in the
 * workspace, with INPUT_* variables from action.yml's defaults (the runner's naming: `INPUT_` +
 * the name upper-cased, spaces to `_`, dashes kept: `INPUT_GITHUB-TOKEN`) and the test's `with:`,
 * the GITHUB_* variables, an event payload file, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files
 * that are read back afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { type FileChanges, filesUnder } from '../support/git-fixture.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

/** The repository's own policies/ folder, as the base branch's files. */
export function bundledPolicies(): Record<string, string> {
  return filesUnder(REPO_ROOT, 'policies');
}

/** A small base for the tests that are not about the bundled policies (fast): the db policy and its namespace. */
export function smallPolicies(): FileChanges {
  const all = bundledPolicies();
  return { 'policies/shop/db.yaml': all['policies/shop/db.yaml'], 'policies/shop/namespace.yaml': all['policies/shop/namespace.yaml'] };
}

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}

export function actionYml(name: string): ActionYml {
  return load(readFileSync(path.join(REPO_ROOT, 'actions', name, 'action.yml'), 'utf8')) as ActionYml;
}

export interface RunSpec {
  readonly action: 'check' | 'render';
  readonly workspace: string;
  readonly eventName: 'pull_request' | 'push';
  readonly payload: object;
  /** `with:` values; anything not given takes action.yml's default. */
  readonly with?: Readonly<Record<string, string>>;
  /** What `${{ github.token }}` evaluates to. */
  readonly token: string;
  readonly apiUrl: string;
  readonly repository: string;
  readonly sha: string;
  readonly ref: string;
  /** Called with the child's pid as soon as it starts (timing). */
  readonly onSpawn?: () => void;
  /** More environment variables, as a workflow's `env:` sets them. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly ms: number;
}

/** The environment a runner gives the step. */
export function runnerEnv(spec: RunSpec, dir: string): Record<string, string> {
  const yml = actionYml(spec.action);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: spec.eventName,
    GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
    GITHUB_REPOSITORY: spec.repository,
    GITHUB_REPOSITORY_OWNER: spec.repository.split('/')[0],
    GITHUB_API_URL: spec.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKSPACE: spec.workspace,
    GITHUB_SHA: spec.sha,
    GITHUB_REF: spec.ref,
    GITHUB_REF_NAME: spec.ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\/pull\/(\d+)\/merge$/, '$1/merge'),
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_PATH: path.join(dir, 'path'),
    RUNNER_TEMP: path.join(dir, 'runner-temp'),
    RUNNER_OS: 'Linux',
    CONTRAIL_GITOPS_RETRY_BASE_MS: '1',
    // The clone's git must not read the developer's global configuration.
    GIT_CONFIG_NOSYSTEM: '1',
    ...spec.env,
  };
  for (const [name, def] of Object.entries(yml.inputs)) {
    const given = spec.with?.[name];
    const value = given ?? (def.default ?? '').replace(/\$\{\{\s*github\.token\s*\}\}/g, spec.token);
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const name of Object.keys(spec.with ?? {})) {
    if (!(name in yml.inputs)) throw new Error(`${spec.action}: no input ${name} in action.yml`);
  }
  return env;
}

export async function runBundledAction(spec: RunSpec): Promise<RunResult> {
  const dir = mkdtempSync(path.join(tmpdir(), `contrail-gitops-${spec.action}-`));
  const env = runnerEnv(spec, dir);
  mkdirSync(env.RUNNER_TEMP, { recursive: true });
  for (const f of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_PATH']) writeFileSync(env[f], '');
  writeFileSync(env.GITHUB_EVENT_PATH, JSON.stringify(spec.payload, null, 2));
  const yml = actionYml(spec.action);
  const main = path.join(REPO_ROOT, 'actions', spec.action, yml.runs.main);
  const started = performance.now();
  const child = spawn(process.execPath, [main], { cwd: spec.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  spec.onSpawn?.();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(env.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'),
    ms: performance.now() - started,
  };
}

/** GITHUB_OUTPUT's `name<<DELIMITER\nvalue\nDELIMITER` records (and plain `name=value` lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
      out[name] = value.join('\n');
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return out;
}

type Json = Record<string, any>;

function example(event: string, pick: (x: Json) => boolean): Json {
  const all = require('@octokit/webhooks-examples') as { name: string; examples: Json[] }[];
  const found = all.find((e) => e.name === event)?.examples.find(pick);
  if (!found) throw new Error(`no ${event} example`);
  return structuredClone(found);
}

function adjustRepository(repo: Json, fullName: string): void {
  const [owner, name] = fullName.split('/');
  repo.name = name;
  repo.full_name = fullName;
  repo.owner.login = owner;
}

/** A pull_request payload (`opened` / `synchronize`) from @octokit/webhooks-examples, moved to the test repository. */
export function pullRequestPayload(o: {
  action: 'opened' | 'synchronize';
  repository: string;
  number: number;
  baseSha: string;
  headSha: string;
  headRepository?: string;
}): Json {
  const p = example('pull_request', (x) => x.action === o.action);
  adjustRepository(p.repository, o.repository);
  p.number = o.number;
  p.pull_request.number = o.number;
  p.pull_request.base.sha = o.baseSha;
  p.pull_request.base.ref = 'main';
  adjustRepository(p.pull_request.base.repo, o.repository);
  p.pull_request.head.sha = o.headSha;
  p.pull_request.head.ref = 'feature';
  adjustRepository(p.pull_request.head.repo, o.headRepository ?? o.repository);
  return p;
}

/** A branch push payload from @octokit/webhooks-examples, moved to the test repository. */
export function pushPayload(o: { repository: string; before: string; after: string; branch: string }): Json {
  const p = example('push', (x) => x.ref === 'refs/heads/master');
  adjustRepository(p.repository, o.repository);
  p.ref = `refs/heads/${o.branch}`;
  p.before = o.before;
  p.after = o.after;
  return p;
}
