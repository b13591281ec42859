/** Label selectors (ValidateLabelSelector): matchLabels as labels; each requirement's operator, key and values. */
import { labelKey, labelValue } from '../k8s-formats.js';
import { invalid, unsupported, type Rule } from '../rule.js';
import { reportLabelProblems } from './labels.js';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export const labelSelector: Rule = {
  name: 'label-selector',
  create(ctx) {
    return {
      LabelSelector(selector, path) {
        if (selector.matchLabels) reportLabelProblems(ctx, selector.matchLabels, [...path, 'matchLabels']);
        selector.matchExpressions?.forEach((req, i) => {
          if (!req) return;
          const at = [...path, 'matchExpressions', i];
          const values = req.values ?? [];
          switch (req.operator) {
            case 'In':
            case 'NotIn':
              if (values.length === 0) ctx.report([...at, 'values'], "must be specified when `operator` is 'In' or 'NotIn'");
              break;
            case 'Exists':
            case 'DoesNotExist':
              if (values.length > 0) ctx.report([...at, 'values'], "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
              break;
            default:
              ctx.report([...at, 'operator'], unsupported(req.operator ?? '', OPERATORS));
          }
          const key = req.key ?? '';
          for (const msg of labelKey(key)) ctx.report([...at, 'key'], invalid(key, msg));
          values.forEach((v, j) => {
            if (v === undefined) return;
            for (const msg of labelValue(v)) ctx.report([...at, 'values', j], invalid(v, msg));
          });
        });
      },
    };
  },
};
