/** Labels (`metadata.labels`, pod template labels): keys are qualified names, values label values. */
import type { Path } from '../../model/source.js';
import { labelKey, labelValue } from '../k8s-formats.js';
import { invalid, type Rule, type RuleContext } from '../rule.js';

/** ValidateLabels: every key and value of a label map (also used for `matchLabels`). */
export function reportLabelProblems(ctx: RuleContext, labels: Readonly<Record<string, string>>, path: Path): void {
  for (const [key, value] of Object.entries(labels)) {
    for (const msg of labelKey(key)) ctx.report([...path, key], invalid(key, msg), { key: true });
    for (const msg of labelValue(value)) ctx.report([...path, key], invalid(value, msg));
  }
}

export const labels: Rule = {
  name: 'labels',
  create(ctx) {
    return {
      ObjectMeta(meta, path) {
        if (meta.labels) reportLabelProblems(ctx, meta.labels, [...path, 'labels']);
      },
    };
  },
};
