/** Real git repositories in a temp folder, for tests of everything that reads git. */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

const IDENTITY = ['user.name=Test', 'user.email=test@example.com', 'commit.gpgsign=false', 'core.autocrlf=false'];

export interface TestRepo {
  readonly root: string;
  readonly git: SimpleGit;
  /** Writes files (content, or `{ link: target }` for a symbolic link); null deletes. */
  write(files: Record<string, string | { link: string } | null>): void;
  /** Writes, stages everything and commits; returns the commit sha. */
  commit(message: string, files?: Record<string, string | { link: string } | null>): Promise<string>;
  remove(): void;
}

/** The machine's git configuration (hooks, signing, templates) stays out of the tests. */
const ISOLATION = { LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

export function gitAt(root: string): SimpleGit {
  return simpleGit({
    baseDir: root,
    config: IDENTITY,
    allowEnvironment: [...Object.keys(process.env), ...Object.keys(ISOLATION)],
    unsafe: { allowUnsafeConfigPaths: true },
  }).env({
    ...process.env,
    ...ISOLATION,
  });
}

export async function createRepo(prefix = 'cg-repo-'): Promise<TestRepo> {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const git = gitAt(root);
  await git.raw(['init', '-q', '-b', 'main']);
  return repoAt(root, git);
}

export function repoAt(root: string, git: SimpleGit = gitAt(root)): TestRepo {
  const write = (files: Record<string, string | { link: string } | null>) => {
    for (const [rel, content] of Object.entries(files)) {
      const abs = path.join(root, rel);
      if (content === null) {
        rmSync(abs, { force: true, recursive: true });
        continue;
      }
      mkdirSync(path.dirname(abs), { recursive: true });
      if (typeof content === 'string') writeFileSync(abs, content);
      else symlinkSync(content.link, abs);
    }
  };
  return {
    root,
    git,
    write,
    async commit(message, files = {}) {
      write(files);
      await git.raw(['add', '-A']);
      await git.raw(['commit', '-q', '--allow-empty', '-m', message]);
      return (await git.raw(['rev-parse', 'HEAD'])).trim();
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
