/**
 * NetworkPolicy templates: the kinds of policy teams really write (default deny, DNS egress,
 * service-to-service allows, the ingress controller, Prometheus scraping, cross-team and
 * cross-namespace access, office and internet ranges with `except`, port ranges, a few
 * `matchExpressions`, a few named ports). Each template builds a valid object for a target
 * namespace or returns null when that namespace has nothing it applies to.
 */
import { ARCHETYPES, NAMESPACE_NAME_LABEL, PLATFORM, PRIVATE_RANGES } from './catalog.mjs';

const networkPolicy = (ns, name, spec) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns.name },
  spec,
});

const byLabels = (matchLabels) => ({ matchLabels });
const appSelector = (w) => byLabels({ app: w.name });

/** policyTypes as a team writes them: always when the API server's default would differ, else often. */
function withTypes(spec, types, rng) {
  const defaulted = spec.egress && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  const same = defaulted.length === types.length && defaulted.every((t, i) => t === types[i]);
  const { podSelector, ...rules } = spec;
  return same && rng.chance(0.3) ? spec : { podSelector, policyTypes: types, ...rules };
}

/** A port entry; `protocol: TCP` is written most of the time (it is the default). */
function port(number, rng, protocol = 'TCP') {
  return protocol !== 'TCP' || rng.chance(0.7) ? { protocol, port: number } : { port: number };
}

function portNumber(w, portName) {
  const p = w.ports.find(([n]) => n === portName);
  if (!p) throw new Error(`workload ${w.name} has no port ${portName}`);
  return p[1];
}

/** The client port of a workload: its number, or (with probability `named`) its name. */
function mainPort(w, rng, named = 0) {
  const a = ARCHETYPES[w.archetype];
  if (a.clientRange) return { protocol: 'TCP', port: a.clientRange[0], endPort: a.clientRange[1] };
  return rng.chance(named) ? { protocol: 'TCP', port: a.main } : port(portNumber(w, a.main), rng);
}

function metricsPort(w, rng, named = 0) {
  const a = ARCHETYPES[w.archetype];
  return rng.chance(named) ? { port: a.metrics } : port(portNumber(w, a.metrics), rng);
}

const dnsPeer = () => ({
  namespaceSelector: byLabels({ [NAMESPACE_NAME_LABEL]: PLATFORM.dns.namespace }),
  podSelector: byLabels({ 'k8s-app': 'kube-dns' }),
});
const dnsPorts = () => [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }];
const prometheusPeer = () => ({
  namespaceSelector: byLabels({ [NAMESPACE_NAME_LABEL]: PLATFORM.monitoring.namespace }),
  podSelector: byLabels({ 'app.kubernetes.io/name': 'prometheus' }),
});
const ingressControllerPeer = () => ({
  namespaceSelector: byLabels({ [NAMESPACE_NAME_LABEL]: PLATFORM.ingress.namespace }),
  podSelector: byLabels({ 'app.kubernetes.io/name': 'ingress-nginx' }),
});

const ofTier = (ns, ...tiers) => ns.workloads.filter((w) => tiers.includes(w.labels.tier));
const ofRole = (ns, ...roles) => ns.workloads.filter((w) => roles.includes(w.labels.role));
const otherApps = (ns, all) => all.filter((o) => !o.platform && o.name !== ns.name);

/** Who calls a workload of each tier. */
const UPSTREAM_TIERS = { data: ['backend'], backend: ['frontend', 'backend'], frontend: ['frontend'] };

/** The namespace defaults every team starts from: deny ingress (and egress, then allow DNS). */
export function basePoliciesOf(ns) {
  if (!ns.egressIsolated) {
    return [networkPolicy(ns, 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] })];
  }
  return [
    networkPolicy(ns, 'default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    networkPolicy(ns, 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [dnsPeer()], ports: dnsPorts() }],
    }),
  ];
}

/** @type {{weight: number, value: (ns: any, all: any[], rng: any) => object | null}[]} */
const TEMPLATES = [
  { weight: 25, value: serviceToService },
  { weight: 6, value: fromIngressController },
  { weight: 7, value: prometheusScrape },
  { weight: 10, value: fromOtherTeam },
  { weight: 7, value: fromOffice },
  { weight: 7, value: egressToInternet },
  { weight: 12, value: egressToData },
  { weight: 32, value: wholeWorkload },
  { weight: 4, value: fromNonProduction },
  { weight: 3, value: kafkaClients },
  { weight: 2, value: publicEntry },
  { weight: 6, value: egressToOtherNamespace },
  { weight: 2, value: sameNamespace },
];

/**
 * `count` policies for `ns`, names unique among `taken` (which it extends). A template that does
 * not apply is redrawn; a namespace where nothing applies (no workloads) repeats its default
 * deny under numbered names rather than come up short: the repository holds exactly the policy
 * count asked for.
 */
export function pickPolicies(ns, all, count, taken, rng) {
  const out = [];
  let misses = 0;
  while (out.length < count) {
    const policy = misses < 50 ? rng.weighted(TEMPLATES)(ns, all, rng) : fallback(ns);
    if (!policy || (policy.metadata.name === 'allow-same-namespace' && taken.has(policy.metadata.name))) {
      misses++;
      continue;
    }
    misses = 0;
    policy.metadata.name = uniqueName(policy.metadata.name, taken);
    out.push(policy);
  }
  return out;
}

const fallback = (ns) => networkPolicy(ns, 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });

/** `name`, or `name-2`, `name-3`, ...: unique in the namespace, and a valid DNS-1123 subdomain. */
export function uniqueName(name, taken) {
  let out = name;
  for (let k = 2; taken.has(out); k++) out = `${name}-${k}`;
  taken.add(out);
  return out;
}

function serviceToService(ns, all, rng) {
  const targets = ns.workloads.filter((w) => w.labels.role !== 'worker');
  if (targets.length === 0) return null;
  const target = rng.pick(targets);
  const callers = ofTier(ns, ...UPSTREAM_TIERS[target.labels.tier]).filter((w) => w !== target);
  if (callers.length === 0) return null;
  const n = Math.min(callers.length, rng.weighted([{ weight: 2, value: 1 }, { weight: 4, value: 2 }, { weight: 4, value: 3 }]));
  const chosen = rng.sample(callers, n);
  const peers = [];
  for (const c of chosen) {
    const sel = rng.chance(0.75) ? appSelector(c) : byLabels({ role: c.labels.role });
    if (!peers.some((p) => JSON.stringify(p.podSelector) === JSON.stringify(sel))) peers.push({ podSelector: sel });
  }
  const ports = [mainPort(target, rng, 0.05)];
  if (target.archetype === 'api' && rng.chance(0.7)) ports.push(port(portNumber(target, 'grpc'), rng));
  if (rng.chance(0.5)) ports.push(metricsPort(target, rng));
  const name = chosen.length === 1 ? `allow-${chosen[0].name}-to-${target.name}` : `allow-${target.name}-from-${chosen[0].labels.tier}`;
  return networkPolicy(ns, name, withTypes({ podSelector: appSelector(target), ingress: [{ from: peers, ports: dedupePorts(ports) }] }, ['Ingress'], rng));
}

function fromIngressController(ns, all, rng) {
  const targets = ofRole(ns, 'web', 'gateway', 'api');
  if (targets.length === 0) return null;
  const target = rng.pick(targets);
  return networkPolicy(ns, `allow-ingress-nginx-to-${target.name}`, withTypes({
    podSelector: appSelector(target),
    ingress: [{ from: [ingressControllerPeer()], ports: [mainPort(target, rng, 0.25)] }],
  }, ['Ingress'], rng));
}

function prometheusScrape(ns, all, rng) {
  if (ns.workloads.length === 0) return null;
  const target = rng.pick(ns.workloads);
  const byRole = rng.chance(0.3);
  return networkPolicy(ns, byRole ? `allow-prometheus-scrape-${target.labels.role}` : `allow-prometheus-scrape-${target.name}`, withTypes({
    podSelector: byRole ? byLabels({ role: target.labels.role }) : appSelector(target),
    ingress: [{ from: [prometheusPeer()], ports: [metricsPort(target, rng, byRole ? 0 : 0.15)] }],
  }, ['Ingress'], rng));
}

function fromOtherTeam(ns, all, rng) {
  const targets = ofRole(ns, 'api', 'gateway');
  const others = otherApps(ns, all);
  if (targets.length === 0 || others.length === 0) return null;
  const target = rng.pick(targets);
  const other = rng.pick(others);
  const peers = [];
  const shape = rng.int(3);
  if (shape === 0) peers.push({ namespaceSelector: byLabels({ team: other.team }), podSelector: byLabels({ tier: 'frontend' }) });
  else if (shape === 1) peers.push({ namespaceSelector: byLabels({ env: other.env, team: other.team }) });
  else peers.push({ namespaceSelector: byLabels({ [NAMESPACE_NAME_LABEL]: other.name }), podSelector: byLabels({ role: 'api' }) });
  for (let extra = rng.weighted([{ weight: 3, value: 0 }, { weight: 4, value: 1 }, { weight: 3, value: 2 }]); extra > 0; extra--) {
    const second = rng.pick(others);
    const peer = { namespaceSelector: byLabels({ team: second.team }), podSelector: byLabels({ tier: 'backend' }) };
    if (!peers.some((p) => JSON.stringify(p) === JSON.stringify(peer))) peers.push(peer);
  }
  const ports = [mainPort(target, rng)];
  if (target.archetype === 'api' && rng.chance(0.7)) ports.push(port(portNumber(target, 'grpc'), rng));
  return networkPolicy(ns, `allow-${other.team}-to-${target.name}`, withTypes({
    podSelector: appSelector(target),
    ingress: [{ from: peers, ports: dedupePorts(ports) }],
  }, ['Ingress'], rng));
}

function fromOffice(ns, all, rng) {
  const targets = ofTier(ns, 'frontend', 'backend').filter((w) => w.labels.role !== 'worker');
  if (targets.length === 0) return null;
  const target = rng.pick(targets);
  const a = 100 + rng.int(100);
  const excepts = rng.sample([0, 1, 2, 3, 4, 5, 6, 7].map((b) => `10.${a}.${b * 16}.0/24`), 1 + rng.int(3));
  const peers = [{ ipBlock: { cidr: `10.${a}.0.0/16`, except: excepts } }];
  if (rng.chance(0.3)) peers.push({ ipBlock: { cidr: `172.${20 + rng.int(8)}.0.0/16` } });
  return networkPolicy(ns, `allow-office-vpn-to-${target.name}`, withTypes({
    podSelector: appSelector(target),
    ingress: [{ from: peers, ports: [mainPort(target, rng)] }],
  }, ['Ingress'], rng));
}

function egressToInternet(ns, all, rng) {
  const targets = ofTier(ns, 'backend');
  if (targets.length === 0) return null;
  const target = rng.pick(targets);
  const ports = [port(443, rng)];
  if (rng.chance(0.3)) ports.push(port(80, rng));
  return networkPolicy(ns, `allow-${target.name}-egress-internet`, {
    podSelector: appSelector(target),
    policyTypes: ['Egress'],
    egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...PRIVATE_RANGES] } }], ports }],
  });
}

function egressToData(ns, all, rng) {
  const clients = ofTier(ns, 'backend');
  const stores = ofTier(ns, 'data');
  if (clients.length === 0 || stores.length === 0) return null;
  const client = rng.pick(clients);
  const deps = rng.sample(stores, Math.min(stores.length, rng.chance(0.35) ? 2 : 1));
  return networkPolicy(ns, deps.length === 1 ? `allow-${client.name}-to-${deps[0].name}` : `allow-${client.name}-to-data`, {
    podSelector: appSelector(client),
    policyTypes: ['Egress'],
    egress: deps.map((d) => ({ to: [{ podSelector: appSelector(d) }], ports: [mainPort(d, rng)] })),
  });
}

/** One policy that says everything about a workload, as some teams prefer. */
function wholeWorkload(ns, all, rng) {
  const targets = ofRole(ns, 'api', 'worker', 'web');
  if (targets.length === 0) return null;
  const target = rng.pick(targets);
  const ingress = [];
  if (target.labels.role !== 'worker') {
    const from = target.labels.tier === 'frontend'
      ? [ingressControllerPeer(), { podSelector: byLabels({ role: 'gateway' }) }]
      : [{ podSelector: byLabels({ tier: 'frontend' }) }, { podSelector: byLabels({ role: 'worker' }) }];
    const ports = [mainPort(target, rng)];
    if (target.archetype === 'api') ports.push(port(portNumber(target, 'grpc'), rng));
    ingress.push({ from, ports });
  }
  ingress.push({ from: [prometheusPeer()], ports: [metricsPort(target, rng)] });
  const egress = [];
  const stores = ofTier(ns, 'data');
  if (stores.length > 0 && target.labels.tier === 'backend') {
    for (const d of rng.sample(stores, Math.min(stores.length, 1 + rng.int(2)))) {
      egress.push({ to: [{ podSelector: appSelector(d) }], ports: [mainPort(d, rng)] });
    }
  }
  const others = otherApps(ns, all);
  if (others.length > 0 && rng.chance(0.4)) {
    const other = rng.pick(others);
    egress.push({
      to: [{ namespaceSelector: byLabels({ [NAMESPACE_NAME_LABEL]: other.name }), podSelector: byLabels({ role: 'api' }) }],
      ports: [port(8080, rng), port(9090, rng)],
    });
  }
  egress.push({ to: [dnsPeer()], ports: dnsPorts() });
  return networkPolicy(ns, target.name, withTypes({ podSelector: appSelector(target), ingress, egress }, ['Ingress', 'Egress'], rng));
}

/** Staging and development namespaces reach a service: the `matchExpressions` teams write. */
function fromNonProduction(ns, all, rng) {
  const targets = ofRole(ns, 'api', 'web', 'gateway');
  if (targets.length === 0) return null;
  const target = rng.pick(targets);
  const expression = rng.weighted([
    { weight: 4, value: { key: 'env', operator: 'In', values: ['staging'] } },
    { weight: 4, value: { key: 'env', operator: 'In', values: ['dev', 'staging'] } },
    { weight: 1, value: { key: 'env', operator: 'NotIn', values: ['prod'] } },
    { weight: 1, value: { key: 'team', operator: 'Exists' } },
  ]);
  const podSelector = rng.chance(0.5)
    ? byLabels({ tier: 'frontend' })
    : { matchExpressions: [{ key: 'role', operator: 'In', values: ['web', 'gateway'] }] };
  const others = ns.workloads.filter((w) => w !== target && w.labels.tier === target.labels.tier);
  const selected = others.length > 0 && rng.chance(0.15)
    ? { matchExpressions: [{ key: 'app', operator: 'In', values: [target.name, rng.pick(others).name] }] }
    : appSelector(target);
  return networkPolicy(ns, `allow-nonprod-to-${target.name}`, withTypes({
    podSelector: selected,
    ingress: [{ from: [{ namespaceSelector: { matchExpressions: [expression] }, podSelector }], ports: [mainPort(target, rng)] }],
  }, ['Ingress'], rng));
}

function kafkaClients(ns, all, rng) {
  const brokers = ns.workloads.filter((w) => w.archetype === 'kafka');
  if (brokers.length === 0) return null;
  const target = rng.pick(brokers);
  return networkPolicy(ns, `allow-${ns.team}-clients-to-${target.name}`, withTypes({
    podSelector: appSelector(target),
    ingress: [{ from: [{ namespaceSelector: byLabels({ team: ns.team }), podSelector: byLabels({ tier: 'backend' }) }], ports: [mainPort(target, rng)] }],
  }, ['Ingress'], rng));
}

/** A public entry point: every source, one port (an ingress rule without `from`). */
function publicEntry(ns, all, rng) {
  const targets = ofRole(ns, 'gateway', 'web');
  if (targets.length === 0) return null;
  const target = rng.pick(targets);
  return networkPolicy(ns, `allow-public-to-${target.name}`, withTypes({
    podSelector: appSelector(target),
    ingress: [{ ports: [mainPort(target, rng)] }],
  }, ['Ingress'], rng));
}

function egressToOtherNamespace(ns, all, rng) {
  const clients = ofTier(ns, 'backend');
  const others = otherApps(ns, all);
  if (clients.length === 0 || others.length === 0) return null;
  const client = rng.pick(clients);
  const other = rng.pick(others);
  return networkPolicy(ns, `allow-${client.name}-to-${other.name}`, {
    podSelector: appSelector(client),
    policyTypes: ['Egress'],
    egress: [{
      to: [{ namespaceSelector: byLabels({ [NAMESPACE_NAME_LABEL]: other.name }), podSelector: byLabels({ role: 'api' }) }],
      ports: [port(8080, rng), port(9090, rng)],
    }],
  });
}

function sameNamespace(ns, all, rng) {
  return networkPolicy(ns, 'allow-same-namespace', withTypes({ podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }, ['Ingress'], rng));
}

/** Two entries for one port are legal but no team writes them. */
function dedupePorts(ports) {
  const seen = new Set();
  return ports.filter((p) => {
    const key = `${p.protocol ?? 'TCP'}/${p.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A new service-to-service policy for the head revision ("a policy added"). */
export function newPolicyFor(ns, all, rng) {
  for (let i = 0; i < 50; i++) {
    const p = rng.weighted(TEMPLATES)(ns, all, rng);
    if (p && p.metadata.name !== 'allow-same-namespace') return p;
  }
  return null;
}
