/**
 * `ipBlock`: `cidr` required and a valid CIDR, each `except` a valid CIDR strictly inside it.
 * As the API server (without the StrictIPCIDRValidation gate): host bits set and IPv4 leading
 * zeros are accepted with a warning (the same warnings `kubectl apply` prints).
 */
import type { Path } from '../../model/source.js';
import { type Cidr, formatCidr, isStrictSubset, isV4Mapped, parseCidrAsWritten, unmapV4 } from '../../net/ip.js';
import { invalid, type Rule, type RuleContext } from '../rule.js';

const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function checkCIDR(ctx: RuleContext, value: string, path: Path): Cidr | undefined {
  const written = parseCidrAsWritten(value);
  if (!written) {
    ctx.report(path, invalid(value, INVALID_CIDR));
    return undefined;
  }
  const c = written.cidr;
  const canonical = formatCidr(c);
  if (written.address.value !== c.network) {
    ctx.report(path, `CIDR value ${JSON.stringify(value)} has bits set beyond the prefix length: it means ${canonical}`, { severity: 'warning' });
  } else if (written.leadingZeros || isV4Mapped(written.address)) {
    ctx.report(path, `non-standard CIDR value ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(canonical)}`, { severity: 'warning' });
  }
  return c;
}

/** Kubernetes' rule for `except`; Go's IPNet.Contains compares IPv4-mapped IPv6 networks as IPv4. */
function isStrictSubsetInGo(inner: Cidr, outer: Cidr): boolean {
  return isStrictSubset(unmapV4(inner), unmapV4(outer));
}

export const ipBlock: Rule = {
  name: 'ip-block',
  create(ctx) {
    return {
      IPBlock(block, path) {
        if (block.cidr === undefined || block.cidr === '') {
          ctx.report([...path, 'cidr'], 'cidr is required');
          return;
        }
        const outer = checkCIDR(ctx, block.cidr, [...path, 'cidr']);
        if (!outer) return;
        block.except?.forEach((e, i) => {
          if (e === undefined) return;
          const at = [...path, 'except', i];
          const inner = checkCIDR(ctx, e, at);
          if (inner && !isStrictSubsetInGo(inner, outer)) ctx.report(at, `must be a strict subset of ${block.cidr}`);
        });
      },
    };
  },
};
