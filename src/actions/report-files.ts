/**
 * The report as files for later steps (upload-artifact, a chat notification): the whole Markdown
 * report and its JSON twin, in the runner's temporary folder, plus the counts as step outputs.
 */
import * as core from '@actions/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DiffCounts, type DiffResult, renderReport } from '../report/index.js';

/** Writes report.md (whole, job-summary budget) and report.json; returns the Markdown file's path. */
export function writeReportFiles(result: DiffResult, action: string, markdown: string): string {
  const dir = path.join(process.env.RUNNER_TEMP || tmpdir(), 'contrail-gitops', action);
  mkdirSync(dir, { recursive: true });
  const md = path.join(dir, 'report.md');
  writeFileSync(md, markdown);
  writeFileSync(path.join(dir, 'report.json'), renderReport(result, { format: 'json' }));
  return md;
}

/** The counts as the outputs action.yml declares (empty strings when unknown). */
export function setCountOutputs(counts: DiffCounts | undefined, snapshotSha256?: string | null): void {
  core.setOutput('rules-added', counts ? String(counts.rulesAdded) : '');
  core.setOutput('rules-removed', counts ? String(counts.rulesRemoved) : '');
  core.setOutput('rules-changed', counts ? String(counts.rulesChanged) : '');
  core.setOutput('flows-opened', counts ? String(counts.flowsOpened) : '');
  core.setOutput('flows-closed', counts ? String(counts.flowsClosed) : '');
  core.setOutput('snapshot-sha256', (snapshotSha256 !== undefined ? snapshotSha256 : counts?.snapshotSha256) ?? '');
}
