/**
 * FWRule.ports_parser: the `ports` of a rule -> CN2 services. The protocol is lower-cased, a port
 * becomes port..port (`endPort` is not read), a port entry without a port is the whole range, a
 * named port is passed on as a name (the config API rejects it later), no ports is `any`.
 */
import type { PolicyPort, PolicyRule } from '../../model/policy.js';
import type { DraftService } from './store.js';

export interface RuleService {
  readonly service: DraftService;
  /** k in the rule names: the index of the first equal service (Python's `list.index`). */
  readonly index: number;
  readonly port?: PolicyPort;
}

/** No ports: every protocol, every port (also the service of the deny-all and allow-all rules). */
export const ANY_SERVICE: DraftService = { protocol: 'any', start: 0, end: 65535 };

export function ruleServices(rule: PolicyRule): RuleService[] {
  if (rule.ports.length === 0) return [{ service: ANY_SERVICE, index: 0 }];
  const services = rule.ports.map(portService);
  return services.map((service, i) => ({
    service,
    index: services.findIndex((s) => sameService(s, service)),
    port: rule.ports[i],
  }));
}

function portService(port: PolicyPort): DraftService {
  const protocol = port.protocol.toLowerCase();
  if (port.port === undefined) return { protocol, start: 0, end: 65535, origin: port.origin };
  return { protocol, start: port.port, end: port.port, origin: port.origin };
}

/** vnc_api's generated types compare by value: equal protocol and ports are the same service. */
function sameService(a: DraftService, b: DraftService): boolean {
  return a.protocol === b.protocol && a.start === b.start && a.end === b.end;
}
