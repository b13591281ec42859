/**
 * renderReport: one DiffReport, three formats. The Markdown report always fits its budget
 * (GitHub refuses a comment over 65,536 characters, a job summary over 1 MiB): when the whole
 * report is too long it is shrunk in steps (drop the unified diff, then reduce tables to counts,
 * then keep only the headline and risk flags) and says what it cut and where the whole report is.
 */
import type { DiffReport } from '../diff/types.js';
import { type Detail, DETAILS, minimumMarkdownBytes, renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

export { REPORT_MARKER } from './markdown.js';

/** GitHub's limit for an issue or pull-request comment (characters). */
export const COMMENT_BUDGET = 65_536;
/** GitHub's limit for a step's job summary (bytes). */
export const FULL_BUDGET = 1024 * 1024;

export type ReportFormat = 'markdown' | 'json' | 'text';
export const REPORT_FORMATS: readonly ReportFormat[] = ['markdown', 'json', 'text'];

/** The numbers a CI step publishes as outputs. */
export interface DiffCounts {
  readonly rulesAdded: number;
  readonly rulesRemoved: number;
  readonly rulesChanged: number;
  readonly flowsOpened: number;
  readonly flowsClosed: number;
  /** sha256 (hex) of the head's rendered contrail/vnc.json; null when the head does not compile. */
  readonly snapshotSha256: string | null;
}

export interface DiffResult {
  readonly report: DiffReport;
  readonly counts: DiffCounts;
}

export interface RenderOptions {
  readonly format: ReportFormat;
  /** Markdown: the whole report, with the job-summary budget (1 MiB) instead of the comment's. */
  readonly full?: boolean;
  /** Markdown: size limit in UTF-8 bytes (so it also holds as a character count). */
  readonly budget?: number;
  /** Text: ANSI colours (the CLI sets it when stdout is a TTY). */
  readonly color?: boolean;
  /** Markdown: where the whole report can be read, named in the note when something is cut. */
  readonly fullReportLocation?: string;
}

export function countsOf(report: DiffReport): DiffCounts {
  const s = report.summary;
  return {
    rulesAdded: s.rulesAdded,
    rulesRemoved: s.rulesRemoved,
    rulesChanged: s.rulesChanged,
    flowsOpened: s.flowsOpened,
    flowsClosed: s.flowsClosed,
    snapshotSha256: report.head.snapshotSha256,
  };
}

export function renderReport(result: DiffResult | DiffReport, options: RenderOptions): string {
  const report = 'report' in result ? result.report : result;
  switch (options.format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'text':
      return renderText(report, { color: options.color ?? false });
    case 'markdown':
      return fitMarkdown(report, options);
  }
}

const CUTS: Record<Exclude<Detail, 'full'>, string> = {
  'no-patch': 'the unified diff of the rendered firewall rules is left out',
  counts: 'rule tables, flows and lists are reduced to counts',
  headline: 'only the headline and the risk flags are kept',
};

const size = (s: string): number => Buffer.byteLength(s, 'utf8');

function fitMarkdown(report: DiffReport, options: RenderOptions): string {
  const budget = options.budget ?? (options.full ? FULL_BUDGET : COMMENT_BUDGET);
  const whole = options.full
    ? (options.fullReportLocation ?? 'the JSON report (`contrail-gitops diff --format json`) has every detail')
    : (options.fullReportLocation ??
      'the whole report is in the job summary of this workflow run (`contrail-gitops diff --format markdown --full`)');
  const note = (detail: Detail): string | undefined => {
    if (detail === 'full') return undefined;
    const cuts = DETAILS.slice(1, DETAILS.indexOf(detail) + 1).map((d) => CUTS[d as Exclude<Detail, 'full'>]);
    const unit = options.full ? 'bytes' : 'characters';
    return `This report is shortened to stay under ${groupDigits(budget)} ${unit}: ${cuts.join('; ')}. Where to read all of it: ${whole}.`;
  };
  for (const detail of DETAILS) {
    if (minimumMarkdownBytes(report, detail) > budget) continue;
    const text = renderMarkdown(report, { detail, cutNote: note(detail) });
    if (size(text) <= budget) return text;
  }
  // Headline level and still too long: as many risk flags as fit (the list says how many are left out).
  let lo = 0;
  let hi = report.risks.length;
  const at = (n: number) => renderMarkdown(report, { detail: 'headline', maxRisks: n, cutNote: note('headline') });
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (size(at(mid)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  const text = at(lo);
  if (size(text) <= budget) return text;
  // Only a budget smaller than the headline itself gets here (a caller's mistake): cut at a character boundary.
  return truncateBytes(text, budget);
}

/** `65536` -> `65,536`, without a locale (output must not depend on the machine). */
function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function truncateBytes(text: string, budget: number): string {
  const buf = Buffer.from(text, 'utf8').subarray(0, Math.max(0, budget));
  return buf.toString('utf8').replace(/\uFFFD$/, '');
}
