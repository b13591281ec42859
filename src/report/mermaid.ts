/**
 * The connectivity change as a Mermaid flowchart (GitHub renders ```mermaid blocks): pod groups
 * and address ranges are nodes, opened edges solid green, closed edges dashed red, ports on the
 * edges. Node ids are generated (`n0`, `n1`, ...), never taken from a policy; labels are written
 * with Mermaid entity codes for every character outside a small safe set, so a label cannot end
 * its quotes, inject HTML into the rendered SVG, or mention anyone.
 */
import { cmp } from '../diagnostics.js';
import type { FlowChange } from '../diff/types.js';
import { flowEndpointText } from './words.js';

/** Larger changes are listed in the table only: a graph of more edges is unreadable. */
export const MERMAID_MAX_EDGES = 30;

const OPENED_STYLE = 'stroke:#1a7f37,stroke-width:2px,color:#1a7f37';
const CLOSED_STYLE = 'stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5,color:#cf222e';

/** Text for inside a quoted Mermaid label: `#<code>;` for anything but letters, digits and `./=_:,-` and space. */
export function mermaidLabel(text: string): string {
  let out = '';
  for (const ch of text) out += /^[A-Za-z0-9 ./=_:,-]$/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

export function mermaidFlowchart(opened: readonly FlowChange[], closed: readonly FlowChange[]): string {
  const names = [...new Set([...opened, ...closed].flatMap((f) => [flowEndpointText(f.from), flowEndpointText(f.to)]))].sort(cmp);
  const id = new Map(names.map((n, i) => [n, `n${i}`]));
  const lines = ['```mermaid', 'flowchart LR'];
  for (const n of names) lines.push(`  ${id.get(n)}["${mermaidLabel(n)}"]`);
  const edges = [
    ...opened.map((f) => ({ f, opened: true })),
    ...closed.map((f) => ({ f, opened: false })),
  ];
  for (const { f, opened: isOpen } of edges) {
    const label = mermaidLabel(`${isOpen ? 'opened' : 'closed'} ${f.ports.join(', ')}`);
    const arrow = isOpen ? '-->' : '-.->';
    lines.push(`  ${id.get(flowEndpointText(f.from))} ${arrow}|"${label}"| ${id.get(flowEndpointText(f.to))}`);
  }
  edges.forEach((e, i) => lines.push(`  linkStyle ${i} ${e.opened ? OPENED_STYLE : CLOSED_STYLE}`));
  lines.push('```');
  return lines.join('\n');
}
