/**
 * The generated repository as data: namespaces with their labels, workloads and NetworkPolicies
 * (plain Kubernetes objects), and where each object lives. The layout (which file holds what) is
 * decided here, once, so that the head revision keeps every unchanged object where it was.
 */
import {
  ARCHETYPES, ARCHETYPE_WEIGHTS, COMPONENTS, ENVIRONMENTS, FIRST_ARCHETYPES, NAMESPACE_NAME_LABEL,
  NAMESPACE_PURPOSES, PLATFORM, TEAMS,
} from './catalog.mjs';
import { basePoliciesOf, pickPolicies } from './templates.mjs';

/**
 * @typedef {object} WorkloadSpec
 * @property {string} name
 * @property {string} kind          Deployment | StatefulSet
 * @property {string} archetype     a key of ARCHETYPES ('' for platform workloads)
 * @property {Record<string,string>} labels  pod template labels
 * @property {[string, number, string][]} ports  name, containerPort, protocol
 * @property {string} image
 *
 * @typedef {object} PolicyEntry
 * @property {string} name
 * @property {string} file          repository-relative path
 * @property {boolean} baseline     a namespace default (default deny, DNS): never changed by the head revision
 * @property {object} object        the NetworkPolicy
 *
 * @typedef {object} NamespaceSpec
 * @property {string} name
 * @property {string} team
 * @property {string} env
 * @property {Record<string,string>} labels
 * @property {boolean} platform
 * @property {WorkloadSpec[]} workloads
 * @property {PolicyEntry[]} policies
 * @property {string} extension    '.yaml' or '.yml' (a team's habit)
 * @property {boolean} baselineInOneFile  default deny and DNS policies in one multi-document file
 * @property {boolean} workloadsAsList    workloads in one `kind: List` (as `kubectl get -o yaml` writes)
 */

/**
 * @param {{namespaces: number, policies: number, pods: number}} size
 * @param {import('../rng.mjs').Rng} rng
 * @returns {NamespaceSpec[]} application namespaces first (generation order), then the platform ones
 */
export function buildModel(size, rng) {
  const names = namespaceNames(size.namespaces, rng.fork('namespace-names'));
  const apps = names.map((n, i) => applicationNamespace(n, rng.fork(`namespace/${i}`)));
  const platform = platformNamespaces();
  const all = [...apps, ...platform];

  const workloadCounts = spread(size.pods, apps.length);
  apps.forEach((ns, i) => (ns.workloads = buildWorkloads(ns, workloadCounts[i], rng.fork(`workloads/${i}`))));

  const policyCounts = spread(size.policies, apps.length);
  apps.forEach((ns, i) => {
    const prng = rng.fork(`policies/${i}`);
    const base = basePoliciesOf(ns).slice(0, policyCounts[i]);
    const rest = pickPolicies(ns, all, policyCounts[i] - base.length, new Set(base.map((p) => p.metadata.name)), prng);
    ns.policies = [
      ...base.map((object) => ({ name: object.metadata.name, object, baseline: true, file: '' })),
      ...rest.map((object) => ({ name: object.metadata.name, object, baseline: false, file: '' })),
    ];
    for (const p of ns.policies) p.file = policyFile(ns, p);
  });
  return all;
}

/** Where a team keeps a policy: its own file, or the namespace's baseline file. */
export function policyFile(ns, policy) {
  if (policy.baseline && ns.baselineInOneFile) return `policies/${ns.name}/baseline${ns.extension}`;
  return `policies/${ns.name}/${policy.name}${ns.extension}`;
}

/** `total` spread over `n` buckets as evenly as possible, the first ones taking the remainder. */
export function spread(total, n) {
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i < total % n ? 1 : 0));
}

/** `<team>-<purpose>-<env>`, unique; numbered once the combinations run out. */
function namespaceNames(n, rng) {
  const out = [];
  const used = new Set(Object.values(PLATFORM).map((p) => p.namespace));
  while (out.length < n) {
    const team = rng.pick(TEAMS);
    const env = rng.weighted(ENVIRONMENTS);
    let name = `${team}-${rng.pick(NAMESPACE_PURPOSES)}-${env}`;
    for (let k = 2; used.has(name); k++) name = `${team}-${rng.pick(NAMESPACE_PURPOSES)}-${env}-${k}`;
    used.add(name);
    out.push({ name, team, env });
  }
  return out;
}

function applicationNamespace({ name, team, env }, rng) {
  const labels = { [NAMESPACE_NAME_LABEL]: name, env, team };
  if (env === 'prod') labels['pod-security.kubernetes.io/enforce'] = 'restricted';
  return {
    name,
    team,
    env,
    labels,
    platform: false,
    workloads: [],
    policies: [],
    extension: rng.chance(0.06) ? '.yml' : '.yaml',
    egressIsolated: rng.chance(0.4),
    baselineInOneFile: rng.chance(0.15),
    workloadsAsList: rng.chance(0.1),
  };
}

function platformNamespaces() {
  return Object.values(PLATFORM).map(({ namespace, workload }) => ({
    name: namespace,
    team: 'platform',
    env: 'prod',
    labels: { [NAMESPACE_NAME_LABEL]: namespace },
    platform: true,
    workloads: [{ ...workload, archetype: '' }],
    policies: [],
    extension: '.yaml',
    egressIsolated: false,
    baselineInOneFile: false,
    workloadsAsList: false,
  }));
}

function buildWorkloads(ns, count, rng) {
  const out = [];
  const used = new Set();
  for (let i = 0; i < count; i++) {
    const archetype = i < FIRST_ARCHETYPES.length ? FIRST_ARCHETYPES[i] : rng.weighted(ARCHETYPE_WEIGHTS);
    const a = ARCHETYPES[archetype];
    let name = `${rng.pick(COMPONENTS)}-${archetype}`;
    for (let k = 2; used.has(name); k++) name = `${rng.pick(COMPONENTS)}-${archetype}-${k}`;
    used.add(name);
    out.push({
      name,
      kind: a.kind,
      archetype,
      labels: { app: name, 'app.kubernetes.io/part-of': ns.team, role: a.role, tier: a.tier },
      ports: a.ports.map(([portName, number]) => [portName, number, 'TCP']),
      image: a.image,
    });
  }
  return out;
}
