/** `endPort`: only with a numeric `port`, not below it, and a valid port number itself. */
import { portNumber } from '../k8s-formats.js';
import { invalid, type Rule } from '../rule.js';

export const endPort: Rule = {
  name: 'end-port',
  create(ctx) {
    return {
      NetworkPolicyPort(p, path) {
        if (p.endPort === undefined) return;
        const at = [...path, 'endPort'];
        if (p.port === undefined) {
          ctx.report(at, 'may not be specified when `port` is not specified');
        } else if (typeof p.port === 'string') {
          ctx.report(at, 'may not be specified when `port` is non-numeric');
        } else {
          if (p.endPort < p.port) ctx.report(at, `must be greater than or equal to \`port\` (${p.port})`);
          for (const msg of portNumber(p.endPort)) ctx.report(at, invalid(p.endPort, msg));
        }
      },
    };
  },
};
