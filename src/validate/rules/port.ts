/** A policy port's `port`: a number in 1..65535, or a named port (IANA_SVC_NAME). */
import { portName, portNumber } from '../k8s-formats.js';
import { invalid, type Rule } from '../rule.js';

export const port: Rule = {
  name: 'port',
  create(ctx) {
    return {
      NetworkPolicyPort(p, path) {
        if (p.port === undefined) return;
        // `port: "80"` is a string (IntOrString) in Kubernetes too, and fails as a port name.
        const problems = typeof p.port === 'number' ? portNumber(p.port) : portName(p.port);
        for (const msg of problems) ctx.report([...path, 'port'], invalid(p.port, msg));
      },
    };
  },
};
