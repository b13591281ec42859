/**
 * Git for the actions, through simple-git: fetch the one commit a pull request is compared with
 * (never the whole history: actions/checkout leaves a depth-1 clone), and commit + push the
 * rendered folder. The push never forces, and every commit is checked to hold nothing but files of
 * the rendered folder before it leaves the machine. Credentials are whatever actions/checkout put
 * into the clone's config; nothing here sees or prints a token.
 */
import type { SimpleGit } from 'simple-git';
import { openGit } from '../git/open.js';
import { UserError } from '../diagnostics.js';

/** simple-git over the clone at `root` (see src/git/open.ts for the environment it runs with). */
export function gitAt(root: string): SimpleGit {
  return openGit(root);
}

export interface CommitAuthor {
  readonly name: string;
  readonly email: string;
}

/** The identity GitHub shows for commits of GITHUB_TOKEN (the GitHub Actions bot). */
export const GITHUB_ACTIONS_AUTHOR: CommitAuthor = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};

/** `Name <email>` -> CommitAuthor; a UserError naming the input when it is not of that form. */
export function parseAuthor(text: string, inputName = 'author'): CommitAuthor {
  const m = /^\s*([^<>]*[^<>\s])\s*<([^<>\s@]+@[^<>\s]+)>\s*$/.exec(text);
  if (!m) throw new UserError(`${inputName}: must be "Name <email>", e.g. "${GITHUB_ACTIONS_AUTHOR.name} <${GITHUB_ACTIONS_AUTHOR.email}>"; got ${JSON.stringify(text)}`);
  return { name: m[1], email: m[2] };
}

export async function commitExists(git: SimpleGit, sha: string): Promise<boolean> {
  try {
    await git.raw(['cat-file', '-e', `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes `sha` available locally: nothing when it is already here, else one shallow fetch of that
 * commit alone (`git fetch --no-tags --depth=1 origin <sha>`), which GitHub allows for any commit
 * of the repository.
 */
export async function ensureCommit(git: SimpleGit, sha: string, remote = 'origin'): Promise<'present' | 'fetched'> {
  if (await commitExists(git, sha)) return 'present';
  try {
    await git.raw(['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', remote, sha]);
  } catch (e) {
    throw new UserError(`cannot fetch commit ${sha} from ${remote}: ${firstLines(e)}`);
  }
  if (!(await commitExists(git, sha))) throw new UserError(`cannot fetch commit ${sha} from ${remote}: the remote did not send it`);
  return 'fetched';
}

/** A pathspec that names exactly the folder `dir` (relative to the working directory), no globbing. */
function folderSpec(dir: string): string {
  return `:(literal)${dir.replace(/\\/g, '/').replace(/\/+$/, '')}`;
}

/** True when `dir` differs from HEAD in the working tree: modified, deleted or new (untracked) files. */
export async function folderChanged(git: SimpleGit, dir: string): Promise<boolean> {
  const out = await git.raw(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', folderSpec(dir)]);
  return out.length > 0;
}

/** Paths (from the repository top) that `commit` changes relative to its first parent. */
export async function filesOfCommit(git: SimpleGit, commit: string): Promise<string[]> {
  const out = await git.raw(['diff-tree', '--no-commit-id', '--name-only', '-r', '-z', '--no-renames', `${commit}^`, commit]);
  return out.split('\0').filter((p) => p !== '');
}

export async function headSha(git: SimpleGit): Promise<string> {
  return (await git.raw(['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
}

/**
 * Commits the working-tree state of `dir` (and nothing else, whatever else is staged or modified)
 * on top of HEAD, as `author`, then checks that the new commit's parent is the old HEAD and that
 * every file it changes lies inside `dir`. Returns the new commit's sha.
 */
export async function commitFolder(git: SimpleGit, dir: string, message: string, author: CommitAuthor): Promise<string> {
  const parent = await headSha(git);
  const spec = folderSpec(dir);
  await git.raw(['add', '--all', '--', spec]);
  // `commit -- <pathspec>` commits only those paths (--only), leaving anything else in the index alone.
  // The identity goes in as `-c` for this one command: the clone's config is left as it was.
  await git.raw([
    '-c',
    `user.name=${author.name}`,
    '-c',
    `user.email=${author.email}`,
    'commit',
    '--no-verify',
    '--no-gpg-sign',
    '--cleanup=verbatim',
    '-m',
    message,
    '--',
    spec,
  ]);
  const sha = await headSha(git);
  await verifyCommit(git, sha, parent, dir);
  return sha;
}

/** Refuses (throws) a commit that is not a single child of `parent` or that touches a file outside `dir`. */
export async function verifyCommit(git: SimpleGit, sha: string, parent: string, dir: string): Promise<void> {
  const actualParent = (await git.raw(['rev-parse', '--verify', `${sha}^`])).trim();
  if (actualParent !== parent) throw new Error(`refusing to push ${sha}: its parent is ${actualParent}, expected ${parent}`);
  const prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim();
  const inside = `${prefix}${dir.replace(/\\/g, '/').replace(/\/+$/, '')}/`;
  const outside = (await filesOfCommit(git, sha)).filter((p) => !p.startsWith(inside));
  if (outside.length > 0) {
    throw new Error(`refusing to push ${sha}: it changes files outside ${inside}: ${outside.join(', ')}`);
  }
}

export type PushOutcome = 'pushed' | 'rejected';

/**
 * Pushes HEAD to `branch` without force. 'rejected' when the branch moved on the remote (the push
 * is not a fast-forward); any other refusal (protected branch, no permission) is a UserError.
 */
export async function pushHead(git: SimpleGit, branch: string, remote = 'origin'): Promise<PushOutcome> {
  try {
    await git.raw(['push', '--no-verify', remote, `HEAD:refs/heads/${branch}`]);
    return 'pushed';
  } catch (e) {
    const text = (e as Error).message;
    if (/\[rejected\][^\n]*\((fetch first|non-fast-forward|stale info)\)/.test(text)) return 'rejected';
    throw new UserError(`git push to ${remote} ${branch} failed: ${firstLines(e)}`);
  }
}

/** Fetches the current tip of `branch` (depth 1) and returns its sha. */
export async function fetchBranchTip(git: SimpleGit, branch: string, remote = 'origin'): Promise<string> {
  try {
    await git.raw(['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`]);
  } catch (e) {
    throw new UserError(`cannot fetch ${branch} from ${remote}: ${firstLines(e)}`);
  }
  return (await git.raw(['rev-parse', '--verify', `refs/remotes/${remote}/${branch}^{commit}`])).trim();
}

/** Moves the current branch and the working tree to `sha` (drops the local render commit). */
export async function resetTo(git: SimpleGit, sha: string): Promise<void> {
  await git.raw(['reset', '--hard', '--quiet', sha]);
}

function firstLines(e: unknown): string {
  return String((e as Error).message ?? e)
    .trim()
    .split('\n')
    .slice(0, 3)
    .join(' / ');
}
