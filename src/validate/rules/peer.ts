/** A `from` / `to` peer: at least one of podSelector, namespaceSelector, ipBlock; ipBlock alone. */
import type { Rule } from '../rule.js';

export const peer: Rule = {
  name: 'peer',
  create(ctx) {
    return {
      NetworkPolicyPeer(p, path) {
        const count = [p.podSelector, p.namespaceSelector, p.ipBlock].filter((x) => x !== undefined).length;
        if (count === 0) ctx.report(path, 'must specify a peer');
        else if (count > 1 && p.ipBlock) ctx.report(path, 'may not specify both ipBlock and another peer');
      },
    };
  },
};
