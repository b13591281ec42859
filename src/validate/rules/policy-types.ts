/** `spec.policyTypes`: at most two, each `Ingress` or `Egress`; a repeated value is harmless (a warning). */
import { unsupported, type Rule } from '../rule.js';

const POLICY_TYPES = ['Ingress', 'Egress'];

export const policyTypes: Rule = {
  name: 'policy-types',
  create(ctx) {
    return {
      NetworkPolicySpec(spec, path) {
        const types = spec.policyTypes;
        if (!types) return;
        const at = [...path, 'policyTypes'];
        if (types.length > POLICY_TYPES.length) {
          ctx.report(at, 'may not specify more than two policyTypes');
          return;
        }
        const seen = new Set<string>();
        types.forEach((t, i) => {
          if (t === undefined) return;
          if (!POLICY_TYPES.includes(t)) ctx.report([...at, i], unsupported(t, POLICY_TYPES));
          // The API server accepts a repeated type (it changes nothing): warn rather than reject.
          else if (seen.has(t)) ctx.report([...at, i], `duplicate value ${JSON.stringify(t)}: listed once is enough`, { severity: 'warning' });
          seen.add(t);
        });
      },
    };
  },
};
