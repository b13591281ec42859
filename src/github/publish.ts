/**
 * Publishing the rendered folder on a branch: commit it (alone) and push, and when the push is
 * rejected because the branch moved meanwhile, move onto the new tip, render again there (its
 * policies may differ from ours) and retry, with exponential backoff. Never a force-push.
 */
import type { SimpleGit } from 'simple-git';
import { UserError } from '../diagnostics.js';
import { type CommitAuthor, commitFolder, fetchBranchTip, folderChanged, headSha, pushHead, resetTo } from './git.js';

export const SKIP_CI = '[skip ci]';
export const SOURCE_TRAILER = 'Source-Commit';
/** Retries after the first push: the brief's "up to 5 times". */
export const DEFAULT_PUSH_RETRIES = 5;

export interface PublishOptions {
  readonly git: SimpleGit;
  readonly branch: string;
  /** The rendered folder, relative to the working directory of `git`. */
  readonly dir: string;
  readonly author: CommitAuthor;
  /** The message's subject and body; `[skip ci]` and the Source-Commit trailer are ensured. */
  readonly message: string;
  /** The commit whose policies the working tree's rendered folder was rendered from. */
  readonly sourceSha: string;
  /** Renders the rendered folder again from the working tree (after a move to a new tip). */
  readonly rerender: () => Promise<void>;
  readonly retries?: number;
  /** Backoff unit: waits 1, 2, 4, 8, 16 units before the retries. */
  readonly retryBaseMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (message: string) => void;
}

export interface PublishResult {
  readonly committed: boolean;
  /** The pushed commit; undefined when nothing changed. */
  readonly commitSha?: string;
  /** The commit named in the trailer (the tip the final render was made on). */
  readonly sourceSha: string;
  /** Pushes tried (0 when nothing was committed). */
  readonly pushes: number;
}

/** The commit message: `[skip ci]` on the subject (a render commit must not start another run), then the trailer. */
export function renderCommitMessage(message: string, sourceSha: string): string {
  const text = message.replace(/\r\n?/g, '\n').trim();
  const nl = text.indexOf('\n');
  let subject = nl < 0 ? text : text.slice(0, nl);
  const body = nl < 0 ? '' : text.slice(nl + 1).trim();
  if (!text.includes(SKIP_CI)) subject = `${subject} ${SKIP_CI}`;
  return `${subject}\n\n${body ? `${body}\n\n` : ''}${SOURCE_TRAILER}: ${sourceSha}\n`;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function publishRendered(options: PublishOptions): Promise<PublishResult> {
  const { git, branch, dir } = options;
  const retries = options.retries ?? DEFAULT_PUSH_RETRIES;
  const sleep = options.sleep ?? realSleep;
  const log = options.log ?? (() => undefined);
  let source = options.sourceSha;
  for (let attempt = 0; ; attempt++) {
    if (!(await folderChanged(git, dir))) {
      return { committed: false, sourceSha: source, pushes: attempt };
    }
    const sha = await commitFolder(git, dir, renderCommitMessage(options.message, source), options.author);
    if ((await pushHead(git, branch)) === 'pushed') {
      return { committed: true, commitSha: sha, sourceSha: source, pushes: attempt + 1 };
    }
    if (attempt >= retries) {
      throw new UserError(
        `git push to ${branch} was rejected ${attempt + 1} times: the branch keeps moving. Nothing was forced; re-run the workflow.`,
      );
    }
    const wait = options.retryBaseMs * 2 ** attempt;
    log(`push to ${branch} rejected: the branch moved; rendering again on its new tip in ${wait} ms (retry ${attempt + 1} of ${retries})`);
    await sleep(wait);
    source = await fetchBranchTip(git, branch);
    await resetTo(git, source);
    if ((await headSha(git)) !== source) throw new Error(`could not move to ${source}`);
    await options.rerender();
  }
}
