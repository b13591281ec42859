/**
 * The render action (push): render the policies into the output folder and, when that changed,
 * commit the folder alone and push it to the branch (no force; on a race, render again on the new
 * tip and retry). The job summary tells what the push changed in the firewall and what was
 * committed.
 */
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { UserError } from '../diagnostics.js';
import { diffRevisions } from '../diff/revisions.js';
import { retryBaseMsFromEnv } from '../github/client.js';
import { pushOf, readEventPayload } from '../github/event.js';
import { ensureCommit, gitAt, headSha, parseAuthor } from '../github/git.js';
import { publishRendered } from '../github/publish.js';
import { type DiffResult, FULL_BUDGET, renderReport } from '../report/index.js';
import { codeSpan } from '../text/markdown.js';
import { DEFAULT_AUTHOR, DEFAULT_COMMIT_MESSAGE, readConfigOverrides, readToken } from './inputs.js';
import { renderFolder } from './render-folder.js';
import { setCountOutputs, writeReportFiles } from './report-files.js';
import { annotate, appendSummary, runAction } from './run.js';

async function render(env: NodeJS.ProcessEnv): Promise<void> {
  readToken();
  const push = pushOf(readEventPayload(env), env.GITHUB_EVENT_NAME);
  if (!push.ref.startsWith('refs/heads/')) {
    throw new UserError(`the render action commits to a branch, but this push is to ${push.ref}: run it on branch pushes ("on: push: branches: [main]")`);
  }
  const branch = env.GITHUB_REF_NAME || push.ref.slice('refs/heads/'.length);
  const author = parseAuthor(core.getInput('author') || DEFAULT_AUTHOR);
  const message = core.getInput('commit-message') || DEFAULT_COMMIT_MESSAGE;
  const config = await loadConfig(env.GITHUB_WORKSPACE || process.cwd(), readConfigOverrides());
  const outDir = checkedOutputFolder(config);
  const git = gitAt(config.root);
  const source = await headSha(git);

  const first = await renderFolder(config);
  annotate(first.diagnostics);
  core.info(`${outDir}/: ${first.changed.length} file(s) written, ${first.removed.length} removed`);

  const result = await compareWithPrevious(config, push.before);
  const published = await publishRendered({
    git,
    branch,
    dir: outDir,
    author,
    message,
    sourceSha: source,
    // Its warnings were annotated once already; an error throws (and is annotated then).
    rerender: async () => void (await renderFolder(config)),
    retryBaseMs: retryBaseMsFromEnv(env),
    log: core.info,
  });

  const snapshotSha = sha256OfFile(path.join(config.root, outDir, 'contrail', 'vnc.json'));
  setCountOutputs(result?.counts, snapshotSha);
  core.setOutput('committed', String(published.committed));
  core.setOutput('commit-sha', published.commitSha ?? '');
  const status = published.committed
    ? `Rendered ${codeSpan(`${outDir}/`, false)} from ${published.sourceSha} and pushed ${published.commitSha} to ${codeSpan(branch, false)}.`
    : `${codeSpan(`${outDir}/`, false)} is up to date with ${published.sourceSha}: nothing to commit.`;
  core.info(status.replace(/`/g, ''));
  const report = result ? renderReport(result, { format: 'markdown', full: true, budget: FULL_BUDGET - 2048 }) : '';
  if (result) core.setOutput('report-path', writeReportFiles(result, 'render', report));
  else core.setOutput('report-path', '');
  await appendSummary(`${status}\n\n${report}`);
}

/** The output folder, refused when committing it could commit anything else (the root, the policies). */
function checkedOutputFolder(config: Config): string {
  const out = path.posix.normalize(config.output.replace(/\\/g, '/')).replace(/\/+$/, '');
  const policies = path.posix.normalize(config.policies.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (out === '.' || out === '') throw new UserError('output: must be a folder inside the repository, not its root: the render commit holds that folder only');
  if (out === policies || policies.startsWith(`${out}/`) || out.startsWith(`${policies}/`)) {
    throw new UserError(`output: ${JSON.stringify(out)} overlaps the policies folder ${JSON.stringify(policies)}; render into a folder of its own`);
  }
  return out;
}

/** The diff of this push (branch before it -> now), for the summary and outputs; undefined for a new branch. */
async function compareWithPrevious(config: Config, before: string | undefined): Promise<DiffResult | undefined> {
  if (!before) {
    core.info('a new branch: nothing to compare the rendering with');
    return undefined;
  }
  try {
    await ensureCommit(gitAt(config.root), before);
    return await diffRevisions({ root: config.root, base: before, config });
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    core.warning(`no comparison with the branch before this push (${before}): ${e.message}`);
    return undefined;
  }
}

function sha256OfFile(file: string): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return '';
  }
}

await runAction(() => render(process.env));
