/**
 * The diff's library API (the CLI's `diff` command and the GitHub Action use it): compare two
 * revisions, get a DiffReport and the counts for action outputs, render it with
 * `renderReport` from src/report/.
 */
export { type BaseOutputCheck, diffRevisions, type DiffRevisionsOptions, type RevisionsDiff } from './revisions.js';
export { buildDiffReport, type CompiledSide, type FlowComparer, type ReportInput } from './report.js';
export { ConnectivityComparer } from './connectivity.js';
export { diffSnapshots, type SnapshotDiff } from './snapshot-diff.js';
export * from './types.js';
