/** `metadata.namespace` of a namespaced object: a DNS-1123 label (absent means `default`). */
import { dns1123Label } from '../k8s-formats.js';
import { invalid, type Rule } from '../rule.js';

export const objectNamespace: Rule = {
  name: 'object-namespace',
  create(ctx) {
    return {
      ObjectMeta(meta, path, isObject) {
        // A Namespace is not namespaced; its metadata.namespace is ignored, as kubectl does.
        if (!isObject || ctx.object.kind === 'Namespace' || meta.namespace === undefined || meta.namespace === '') return;
        for (const msg of dns1123Label(meta.namespace)) ctx.report([...path, 'namespace'], invalid(meta.namespace, msg));
      },
    };
  },
};
