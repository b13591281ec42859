/**
 * What both actions share around their work: diagnostics as annotations on the pull request's
 * files (`::error file=...,line=...,col=...::`), the job summary, and the last word on failure —
 * a UserError fails the step with its message (and its diagnostics as annotations), never a stack
 * trace; anything else is a bug of this tool, said so in one line.
 */
import * as core from '@actions/core';
import { type Diagnostic, formatDiagnostic, sortDiagnostics, UserError } from '../diagnostics.js';
import { httpStatusOf } from '../github/client.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version.js';

/** One annotation per diagnostic, on its file, line and column (the runner shows the first ten per step). */
export function annotate(diagnostics: readonly Diagnostic[]): void {
  for (const d of sortDiagnostics(diagnostics)) {
    const message = d.field ? `${d.field}: ${d.message}` : d.message;
    const where: core.AnnotationProperties = d.line > 0 ? { file: d.file, startLine: d.line, startColumn: d.col || undefined } : { file: d.file };
    const title = `${PACKAGE_NAME}: ${d.severity}`;
    if (d.severity === 'error') core.error(message, { title, ...where });
    else if (d.severity === 'warning') core.warning(message, { title, ...where });
    else core.notice(message, { title, ...where });
  }
}

/** Appends Markdown to the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it says so and goes on. */
export async function appendSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info('GITHUB_STEP_SUMMARY is not set: no job summary written');
    return;
  }
  await core.summary.addRaw(markdown.endsWith('\n') ? markdown : `${markdown}\n`).write();
}

/** Runs an action's body; turns what escapes into a failed step with a message a user can act on. */
export async function runAction(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (e instanceof UserError) {
      annotate(e.diagnostics);
      for (const d of sortDiagnostics(e.diagnostics)) core.info(formatDiagnostic(d));
      core.setFailed(e.message);
      return;
    }
    const err = e as Error;
    core.debug(err?.stack ?? String(e));
    const status = httpStatusOf(e);
    if (status !== undefined) {
      // GitHub's failure, after the client's retries: not a bug, and nothing the user can fix here.
      const req = (e as { request?: { method?: string; url?: string } }).request;
      core.setFailed(`GitHub API request failed: ${req?.method ?? ''} ${req?.url ?? ''} answered ${status}: ${err.message}`.replace(/\s+/g, ' '));
      return;
    }
    core.setFailed(
      `internal error: ${err?.message ?? String(e)}. This is a bug in ${PACKAGE_NAME} ${PACKAGE_VERSION}; please report it (re-run with debug logging for the stack).`,
    );
  }
}
