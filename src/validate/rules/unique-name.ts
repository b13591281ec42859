/** One object per kind, namespace and name across the whole folder: the second is reported. */
import { positionOf, type Origin } from '../../model/source.js';
import type { Rule } from '../rule.js';

export const uniqueName: Rule = {
  name: 'unique-name',
  scope: 'folder',
  create(ctx) {
    const first = new Map<string, Origin>();
    return {
      ObjectMeta(meta, path, isObject) {
        if (!isObject || !meta.name) return;
        const { kind, origin } = ctx.object;
        const namespace = kind === 'Namespace' ? '' : meta.namespace || 'default';
        const key = `${kind}\u0000${namespace}\u0000${meta.name}`;
        const here: Origin = { ...origin, path: [...path, 'name'] };
        const earlier = first.get(key);
        if (!earlier) {
          first.set(key, here);
          return;
        }
        const at = positionOf(earlier);
        const scope = kind === 'Namespace' ? '' : ` in namespace ${JSON.stringify(namespace)}`;
        ctx.report([...path, 'name'], `${kind} ${JSON.stringify(meta.name)}${scope} is already defined at ${at.file}:${at.line}:${at.col}`);
      },
    };
  },
};
