/** `protocol` of a policy port: TCP, UDP or SCTP (case matters, as in Kubernetes). */
import { PROTOCOLS } from '../k8s-formats.js';
import { unsupported, type Rule } from '../rule.js';

export const protocol: Rule = {
  name: 'protocol',
  create(ctx) {
    return {
      NetworkPolicyPort(p, path) {
        if (p.protocol !== undefined && !(PROTOCOLS as readonly string[]).includes(p.protocol)) {
          ctx.report([...path, 'protocol'], unsupported(p.protocol, PROTOCOLS));
        }
      },
    };
  },
};
