/**
 * Plain-text forms of snapshot values, as the seed's Table 3 and rendered/firewall-rules.md write
 * them (`tcp:6379`, `role=db && namespace=default`, `Address Group: 172.17.0.0/16`). Used for
 * messages and as the text of report cells (each report format escapes them its own way).
 */
import { serviceText } from '../render/markdown.js';
import { type Endpoint, POLICY_MANAGEMENT, type Service } from '../snapshot/model.js';

/**
 * The address group an endpoint names. Endpoints hold it either bare (`10.0.0.0/24`) or as the
 * colon-joined fq_name VNC uses (`default-policy-management:10.0.0.0/24`); both name one group.
 */
export function addressGroupName(ref: string): string {
  return ref.startsWith(`${POLICY_MANAGEMENT}:`) ? ref.slice(POLICY_MANAGEMENT.length + 1) : ref;
}

/** The Service column of firewall-rules.md, so the report and the rendered table read the same. */
export const formatService = (s: Service): string => serviceText(s);

export function formatEndpoint(e: Endpoint): string {
  if ('tags' in e) return e.tags.length ? e.tags.join(' && ') : 'any';
  if ('addressGroup' in e) return `Address Group: ${addressGroupName(e.addressGroup)}`;
  return 'any';
}
