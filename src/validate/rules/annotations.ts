/**
 * `metadata.annotations` (ValidateAnnotations): keys are qualified names (checked in lower case,
 * as the API server does), and all of them together hold at most 256 KiB.
 */
import { labelKey } from '../k8s-formats.js';
import { invalid, type Rule } from '../rule.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export const annotations: Rule = {
  name: 'annotations',
  create(ctx) {
    return {
      ObjectMeta(meta, path, isObject) {
        if (!isObject || !meta.annotations) return;
        const at = [...path, 'annotations'];
        let size = 0;
        for (const [key, value] of Object.entries(meta.annotations)) {
          for (const msg of labelKey(key.toLowerCase())) ctx.report([...at, key], invalid(key, msg), { key: true });
          size += Buffer.byteLength(key) + Buffer.byteLength(value);
        }
        if (size > TOTAL_ANNOTATION_SIZE_LIMIT) ctx.report(at, `may not have more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes in total (${size} bytes)`);
      },
    };
  },
};
