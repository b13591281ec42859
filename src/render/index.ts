/**
 * Every rendered file of a snapshot, as pure functions of it: path (relative to the output folder,
 * `rendered/` by default) -> contents. Writing them is write.ts's job.
 */
import { cmp } from '../diagnostics.js';
import type { Snapshot } from '../snapshot/model.js';
import { renderCn2Resources } from './cn2.js';
import { renderFirewallRulesMarkdown } from './markdown.js';
import { renderVncJson } from './vnc.js';

export const VNC_FILE = 'contrail/vnc.json';
export const RULES_FILE = 'firewall-rules.md';

export interface RenderOptions {
  /** apiVersion of the CN2 custom resources (configuration `cn2ApiVersion`). */
  readonly cn2ApiVersion: string;
}

export function renderSnapshot(snapshot: Snapshot, options: RenderOptions): Map<string, string> {
  const files = new Map<string, string>([
    [VNC_FILE, renderVncJson(snapshot)],
    ...renderCn2Resources(snapshot, options.cn2ApiVersion),
    [RULES_FILE, renderFirewallRulesMarkdown(snapshot)],
  ]);
  return new Map([...files].sort(([a], [b]) => cmp(a, b)));
}
