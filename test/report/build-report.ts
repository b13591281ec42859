/** DiffReports built from hand-made snapshots through the real report builder (no simulator). */
import type { Diagnostic } from '../../src/diagnostics.js';
import { buildDiffReport, type FlowComparer } from '../../src/diff/report.js';
import type { DiffReport } from '../../src/diff/types.js';
import type { Snapshot } from '../../src/snapshot/model.js';

export function reportOf(
  base: Snapshot,
  head: Snapshot,
  extra: {
    headDiagnostics?: Diagnostic[];
    rendered?: [string, string];
    labels?: [string, string];
    flows?: FlowComparer;
  } = {},
): DiffReport {
  const [baseLabel, headLabel] = extra.labels ?? ['origin/main (abc1234)', 'working tree'];
  return buildDiffReport({
    base: { label: baseLabel, snapshot: base, diagnostics: [], ...(extra.rendered ? { rendered: new Map([['firewall-rules.md', extra.rendered[0]]]) } : {}) },
    head: {
      label: headLabel,
      snapshot: head,
      diagnostics: extra.headDiagnostics ?? [],
      ...(extra.rendered ? { rendered: new Map([['firewall-rules.md', extra.rendered[1]]]) } : {}),
    },
    mode: 'cn2',
    cluster: 'k8s',
    podCIDR: '10.244.0.0/16',
    outputDir: 'rendered',
    baseOutput: null,
    ...(extra.flows ? { flows: extra.flows } : { noFlowsReason: 'not asked in this test' }),
  });
}

/** Cells of a Markdown table row, split on the pipes GitHub splits on (not backslash-escaped). */
export function tableCells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim());
}

/** Every table in a Markdown text (outside code fences): header, then rows; asserts nothing. */
export function tables(markdown: string): string[][] {
  const out: string[][] = [];
  let fence: string | null = null;
  let current: string[] | null = null;
  for (const line of markdown.split('\n')) {
    const f = /^(`{3,})/.exec(line);
    if (f && (fence === null || f[1].length >= fence.length)) {
      fence = fence === null ? f[1] : null;
      continue;
    }
    if (fence !== null) continue;
    if (line.startsWith('|')) {
      current ??= [];
      current.push(line);
    } else if (current) {
      out.push(current);
      current = null;
    }
  }
  if (current) out.push(current);
  return out;
}
