/** `status.podIP` of a Pod (used by the simulator): an IP address. */
import { parseAddressAsWritten } from '../../net/ip.js';
import { invalid, type Rule } from '../rule.js';

export const podIP: Rule = {
  name: 'pod-ip',
  create(ctx) {
    return {
      PodStatus(status, path) {
        if (status.podIP === undefined || status.podIP === '') return;
        if (!parseAddressAsWritten(status.podIP)) ctx.report([...path, 'podIP'], invalid(status.podIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
      },
    };
  },
};
