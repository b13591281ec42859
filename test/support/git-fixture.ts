/**
 * Real git repositories for the actions' tests: a bare "origin" in a temporary folder, clones of
 * it made as actions/checkout does (`git clone --depth=1 file://...`), and pushes from elsewhere
 * (a colleague's concurrent push). Commits get fixed dates and identities, so shas repeat.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'Dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Files to write (content) or delete (null), paths relative to the repository. */
export type FileChanges = Readonly<Record<string, string | null>>;

export function writeFiles(dir: string, files: FileChanges): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    if (content === null) rmSync(abs, { force: true, recursive: true });
    else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
}

export class GitFixture {
  readonly root: string;
  /** The bare repository every clone pushes to. */
  readonly origin: string;
  /** A full clone where the tests author commits, standing in for developers. */
  private readonly dev: string;

  constructor(initial: FileChanges) {
    this.root = mkdtempSync(path.join(tmpdir(), 'contrail-gitops-git-'));
    this.origin = path.join(this.root, 'origin.git');
    this.dev = path.join(this.root, 'dev');
    git(this.root, 'init', '-q', '--bare', '-b', 'main', this.origin);
    git(this.root, 'clone', '-q', this.originUrl, this.dev);
    git(this.dev, 'checkout', '-q', '-B', 'main');
    writeFiles(this.dev, initial);
    git(this.dev, 'add', '-A');
    git(this.dev, 'commit', '-q', '-m', 'initial');
    git(this.dev, 'push', '-q', 'origin', 'main');
  }

  get originUrl(): string {
    return `file://${this.origin}`;
  }

  /** Commits `files` on `branch` (created from `from` when new) and pushes it; returns the sha. */
  commit(branch: string, files: FileChanges, message: string, from = 'main'): string {
    git(this.dev, 'fetch', '-q', 'origin');
    const exists = git(this.dev, 'ls-remote', '--heads', 'origin', branch) !== '';
    git(this.dev, 'checkout', '-q', '-B', branch, exists ? `origin/${branch}` : `origin/${from}`);
    writeFiles(this.dev, files);
    git(this.dev, 'add', '-A');
    git(this.dev, 'commit', '-q', '--allow-empty', '-m', message);
    git(this.dev, 'push', '-q', 'origin', `${branch}:${branch}`);
    return git(this.dev, 'rev-parse', 'HEAD');
  }

  /** A depth-1 clone of `branch`, as actions/checkout leaves the workspace. */
  shallowClone(branch: string, name = 'workspace'): string {
    const dir = path.join(this.root, name);
    rmSync(dir, { recursive: true, force: true });
    git(this.root, 'clone', '-q', '--depth=1', '--no-tags', '--branch', branch, this.originUrl, dir);
    return dir;
  }

  /** The sha of `ref` on the origin. */
  sha(ref: string): string {
    return git(this.origin, 'rev-parse', ref);
  }

  /** Subjects (and trailers) of `branch` on the origin, newest first. */
  log(branch: string, format = '%s'): string[] {
    return git(this.origin, 'log', `--format=${format}`, branch).split('\n');
  }

  /** Paths changed by `commit` on the origin. */
  filesOf(commit: string): string[] {
    return git(this.origin, 'diff-tree', '--no-commit-id', '--name-only', '-r', commit).split('\n').filter(Boolean);
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
