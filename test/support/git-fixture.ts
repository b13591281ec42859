/**
 * Real git repositories in temporary folders, for the tests of everything that reads or writes git:
 * a repository with a work tree (TestRepo: what `diff` reads), or a bare "origin" with clones made as
 * actions/checkout makes them and pushes from elsewhere (GitFixture: what the actions push to). The
 * machine's git configuration (hooks, signing, templates, identity) stays out, and commits get fixed
 * dates and identities, so shas repeat.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
};

/** Runs git in `cwd`; its output, trimmed. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Files to write (content), symbolic links to make (`{ link: target }`) or paths to delete (null), relative to the repository. */
export type FileChanges = Readonly<Record<string, string | { readonly link: string } | null>>;

export function writeFiles(dir: string, files: FileChanges): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    if (content === null) {
      rmSync(abs, { force: true, recursive: true });
      continue;
    }
    mkdirSync(path.dirname(abs), { recursive: true });
    if (typeof content === 'string') writeFileSync(abs, content);
    else symlinkSync(content.link, abs);
  }
}

/** Every file under `dir` (relative to `root`, in name order) with its content, as changes to commit. */
export function filesUnder(root: string, dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const child = `${rel}/${name}`;
      if (statSync(path.join(root, child)).isDirectory()) walk(child);
      else files[child] = readFileSync(path.join(root, child), 'utf8');
    }
  };
  walk(dir);
  return files;
}

/** Writes `files` in the work tree at `dir`, stages everything and commits (nothing to commit too); returns the sha. */
function commitAll(dir: string, files: FileChanges, message: string): string {
  writeFiles(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/** A depth-1 clone of `url` into `dir`, as actions/checkout makes it (one branch, no tags). */
function shallowCloneInto(url: string, dir: string, branch?: string): void {
  git(path.dirname(dir), 'clone', '-q', '--depth=1', '--no-tags', ...(branch !== undefined ? ['--branch', branch] : []), url, dir);
}

/** A new repository with a work tree, its branch `main`, in a temporary folder. */
export function createRepo(): TestRepo {
  const root = mkdtempSync(path.join(tmpdir(), 'cg-repo-'));
  git(root, 'init', '-q', '-b', 'main');
  return new TestRepo(root);
}

/** The repository with a work tree at `root`. */
export class TestRepo {
  constructor(readonly root: string) {}

  write(files: FileChanges): void {
    writeFiles(this.root, files);
  }

  /** Writes, stages everything and commits; returns the commit sha. */
  commit(message: string, files: FileChanges = {}): string {
    return commitAll(this.root, files, message);
  }

  /** A depth-1 clone of this repository's branch, in a new temporary folder (its `origin` is this one). */
  shallowClone(): TestRepo {
    const root = mkdtempSync(path.join(tmpdir(), 'cg-shallow-'));
    shallowCloneInto(`file://${this.root}`, root);
    return new TestRepo(root);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
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
    commitAll(this.dev, initial, 'initial');
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
    const sha = commitAll(this.dev, files, message);
    git(this.dev, 'push', '-q', 'origin', `${branch}:${branch}`);
    return sha;
  }

  /** A depth-1 clone of `branch`, as actions/checkout leaves the workspace. */
  shallowClone(branch: string, name = 'workspace'): string {
    const dir = path.join(this.root, name);
    rmSync(dir, { recursive: true, force: true });
    shallowCloneInto(this.originUrl, dir, branch);
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

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Runs `body` on a new repository and removes it afterwards, whatever happens. */
export async function withRepo(body: (repo: TestRepo) => Promise<void>): Promise<void> {
  await removedAfter(createRepo(), body);
}

/** Runs `body` on a new fixture and removes it afterwards, whatever happens. */
export async function withGitFixture(initial: FileChanges, body: (fx: GitFixture) => Promise<void>): Promise<void> {
  await removedAfter(new GitFixture(initial), body);
}

async function removedAfter<T extends { remove(): void }>(made: T, body: (made: T) => Promise<void>): Promise<void> {
  try {
    await body(made);
  } finally {
    made.remove();
  }
}
