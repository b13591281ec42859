/**
 * Kubernetes object names for Contrail names. Contrail names hold characters Kubernetes refuses
 * (`/`, `=`, `.` in a CIDR, upper case: `default-ingress-np-0-ipBlock-0-172.17.1.0/24-0`), so
 * each is mapped to a DNS-1123 name: lower case, anything but [a-z0-9-] becomes '-', at most 253
 * characters. Whenever that loses information (the name changed, was cut, or two names meet) a
 * hash of the Contrail name is appended, so names are stable (a function of the Contrail name and
 * its kind's other names only when they collide) and unique. The Contrail name stays in spec.fqName.
 */
import { createHash } from 'node:crypto';

/** DNS-1123 subdomain length limit (object names). */
export const MAX_NAME = 253;
const HASH_LENGTH = 8;

function hashOf(name: string, length: number): string {
  return createHash('sha256').update(name, 'utf8').digest('hex').slice(0, length);
}

function plain(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+|-+$/g, '');
}

function withHash(base: string, name: string, hashLength: number): string {
  const stem = base.slice(0, MAX_NAME - hashLength - 1).replace(/-+$/, '');
  return stem ? `${stem}-${hashOf(name, hashLength)}` : hashOf(name, hashLength);
}

/**
 * Names for one kind in one namespace: Contrail name -> Kubernetes name, injective. Names that
 * map without loss keep their mapped form unless another name lands on it.
 */
export function kubernetesNames(contrailNames: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of new Set(contrailNames)) {
    const base = plain(name);
    out.set(name, base === name && base.length <= MAX_NAME ? base : withHash(base, name, HASH_LENGTH));
  }
  // Names that land on one result all get a longer hash; a clash after that is a 64-bit hash collision.
  const clashing = (): string[][] => [...groupByResult(out).values()].filter((g) => g.length > 1);
  for (const group of clashing()) for (const name of group) out.set(name, withHash(plain(name), name, 2 * HASH_LENGTH));
  const left = clashing();
  if (left.length) throw new Error(`cannot give distinct Kubernetes names to ${left.flat().join(', ')}`);
  return out;
}

function groupByResult(names: Map<string, string>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [name, k8s] of names) {
    const group = groups.get(k8s);
    if (group) group.push(name);
    else groups.set(k8s, [name]);
  }
  return groups;
}
