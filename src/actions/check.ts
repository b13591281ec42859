/**
 * The check action (pull_request): compare the pull request's policies with its base, annotate the
 * errors on their lines, keep one sticky comment with the report, put the whole report in the job
 * summary, and fail by `fail-on`. A token that may not comment (a fork's pull request) is not a
 * failure: the report is in the job summary, and a notice says why there is no comment.
 */
import * as core from '@actions/core';
import { loadConfig } from '../config/load.js';
import { diffRevisions } from '../diff/revisions.js';
import { apiUrlFromEnv, createGitHubClient, httpStatusOf, retryBaseMsFromEnv } from '../github/client.js';
import { CommentNotPermitted, type Identity, tokenIdentity, upsertStickyComment } from '../github/comment.js';
import { pullRequestOf, readEventPayload, repositoryFromEnv } from '../github/event.js';
import { ensureCommit, gitAt } from '../github/git.js';
import { FULL_BUDGET, REPORT_MARKER, renderReport } from '../report/index.js';
import { failureReason } from './fail-on.js';
import { readConfigOverrides, readFailOn, readToken } from './inputs.js';
import { setCountOutputs, writeReportFiles } from './report-files.js';
import { annotate, appendSummary, runAction } from './run.js';

async function check(env: NodeJS.ProcessEnv): Promise<void> {
  const token = readToken();
  const failOn = readFailOn();
  const commentAuthor = core.getInput('comment-author');
  const payload = readEventPayload(env);
  const pr = pullRequestOf(payload, env.GITHUB_EVENT_NAME);
  const repo = repositoryFromEnv(env);
  const config = await loadConfig(env.GITHUB_WORKSPACE || process.cwd(), readConfigOverrides());

  if ((await ensureCommit(gitAt(config.root), pr.baseSha)) === 'fetched') core.info(`fetched base commit ${pr.baseSha}`);
  const result = await diffRevisions({ root: config.root, base: pr.baseSha, config });
  annotate(result.report.headDiagnostics);

  const comment = renderReport(result, { format: 'markdown' });
  const whole = renderReport(result, { format: 'markdown', full: true, budget: FULL_BUDGET - NOTICE_ROOM });
  const reportPath = writeReportFiles(result, 'check', whole);
  setCountOutputs(result.counts);
  core.setOutput('report-path', reportPath);

  let notice = '';
  let commentFailure: unknown;
  if (!token) {
    notice = 'No comment on the pull request: the github-token input is empty. The report is below.';
  } else {
    const gh = createGitHubClient({
      token,
      baseUrl: apiUrlFromEnv(env),
      retryBaseMs: retryBaseMsFromEnv(env),
      log: { debug: core.debug, warning: core.warning },
    });
    try {
      const author: Identity = commentAuthor ? { login: commentAuthor } : await tokenIdentity(gh);
      const done = await upsertStickyComment(gh, { ...repo, issueNumber: pr.number }, comment, { marker: REPORT_MARKER, author });
      core.info(`pull request comment ${done.action}: ${done.url}`);
    } catch (e) {
      if (e instanceof CommentNotPermitted) {
        const why = pr.fromFork
          ? 'the pull request comes from a fork, and GitHub gives such runs a read-only token'
          : 'the token may not write pull-request comments (give the job `permissions: pull-requests: write`)';
        notice = `No comment on the pull request: ${e.message} — ${why}. The report is below.`;
      } else {
        // The reviewers still get the report (job summary); then the step fails with GitHub's answer.
        commentFailure = e;
        notice = `No comment on the pull request: the GitHub API failed (${httpStatusOf(e) ?? 'no answer'}: ${(e as Error).message.replace(/\s+/g, ' ')}). The report is below.`;
      }
    }
  }
  if (notice) core.notice(notice, { title: 'contrail-gitops: report in the job summary' });
  await appendSummary(notice ? `> [!NOTE]\n> ${notice}\n\n${whole}` : whole);
  if (commentFailure) throw commentFailure;

  const failure = failureReason(failOn, result.report.summary);
  if (failure) core.setFailed(failure);
}

/** Room kept in the job summary's 1 MiB for the notice above the report. */
const NOTICE_ROOM = 1024;

await runAction(() => check(process.env));
