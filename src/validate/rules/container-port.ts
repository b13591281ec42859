/** A workload's container port (read for named ports): number, IANA name, protocol. */
import { PROTOCOLS, portName, portNumber } from '../k8s-formats.js';
import { invalid, unsupported, type Rule } from '../rule.js';

export const containerPort: Rule = {
  name: 'container-port',
  create(ctx) {
    return {
      ContainerPort(p, path) {
        if (p.containerPort === undefined) ctx.report([...path, 'containerPort'], 'containerPort is required');
        else for (const msg of portNumber(p.containerPort)) ctx.report([...path, 'containerPort'], invalid(p.containerPort, msg));
        if (p.name !== undefined && p.name !== '') {
          for (const msg of portName(p.name)) ctx.report([...path, 'name'], invalid(p.name, msg));
        }
        if (p.protocol !== undefined && !(PROTOCOLS as readonly string[]).includes(p.protocol)) {
          ctx.report([...path, 'protocol'], unsupported(p.protocol, PROTOCOLS));
        }
      },
    };
  },
};
