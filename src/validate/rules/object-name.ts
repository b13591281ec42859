/** `metadata.name`: required; a DNS-1123 label for a Namespace, a DNS-1123 subdomain otherwise. */
import { dns1123Label, dns1123Subdomain } from '../k8s-formats.js';
import { invalid, type Rule } from '../rule.js';

export const objectName: Rule = {
  name: 'object-name',
  create(ctx) {
    return {
      ObjectMeta(meta, path, isObject) {
        if (!isObject) return;
        if (meta.name === undefined || meta.name === '') {
          if (meta.generateName) {
            ctx.report([...path, 'generateName'], 'generateName is not supported here: give the object a fixed metadata.name (compiled names derive from it)');
          } else {
            ctx.report([...path, 'name'], 'name is required');
          }
          return;
        }
        const check = ctx.object.kind === 'Namespace' ? dns1123Label : dns1123Subdomain;
        for (const msg of check(meta.name)) ctx.report([...path, 'name'], invalid(meta.name, msg));
      },
    };
  },
};
