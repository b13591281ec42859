/**
 * The head revision: a pull request's worth of changes to the base. About `percent` % of the
 * policies change, in the ways policies really change: a port moves, a peer is added, a peer is
 * removed; and policies are added and removed. Namespace defaults (baseline policies) stay.
 */
import { newPolicyFor, uniqueName } from './templates.mjs';
import { policyFile } from './model.mjs';

/**
 * @typedef {object} ChangeSummary
 * @property {number} portsChanged
 * @property {number} peersAdded
 * @property {number} peersRemoved
 * @property {number} added
 * @property {number} removed
 * @property {string[]} changed   `namespace/name` of every changed, added or removed policy, sorted
 */

/**
 * A changed copy of `model` (the input is not modified).
 * @param {import('./model.mjs').NamespaceSpec[]} model
 * @returns {{model: import('./model.mjs').NamespaceSpec[], summary: ChangeSummary}}
 */
export function changeModel(model, percent, rng) {
  const head = structuredClone(model);
  const apps = head.filter((ns) => !ns.platform);
  const candidates = apps.flatMap((ns) => ns.policies.filter((p) => !p.baseline).map((p) => ({ ns, p })));
  const total = apps.reduce((s, ns) => s + ns.policies.length, 0);
  const changes = Math.min(candidates.length, Math.max(5, Math.round((total * percent) / 100)));
  const addRemove = Math.min(Math.floor(changes / 2), Math.max(1, Math.round(changes / 20)));
  const summary = { portsChanged: 0, peersAdded: 0, peersRemoved: 0, added: 0, removed: 0, changed: [] };
  if (changes === 0) return { model: head, summary };

  const chosen = rng.shuffle(rng.sample(candidates, changes));
  const toRemove = chosen.slice(0, addRemove);
  const toModify = chosen.slice(addRemove);
  const kinds = ['ports', 'peer-added', 'peer-removed'];
  toModify.forEach(({ ns, p }, i) => {
    const done = modifyPolicy(p.object, kinds[i % kinds.length], ns, rng);
    if (done === 'ports') summary.portsChanged++;
    else if (done === 'peer-added') summary.peersAdded++;
    else summary.peersRemoved++;
    summary.changed.push(`${ns.name}/${p.name}`);
  });
  for (let i = 0; i < addRemove; i++) {
    const ns = rng.pick(apps.filter((a) => a.workloads.length > 0));
    const object = ns && newPolicyFor(ns, head, rng);
    if (!object) continue;
    object.metadata.name = uniqueName(object.metadata.name, new Set(ns.policies.map((p) => p.name)));
    const entry = { name: object.metadata.name, object, baseline: false, file: '' };
    entry.file = policyFile(ns, entry);
    ns.policies.push(entry);
    summary.added++;
    summary.changed.push(`${ns.name}/${entry.name}`);
  }
  // Removed after the additions, so that an added policy never takes a removed one's name (and file).
  for (const { ns, p } of toRemove) {
    ns.policies = ns.policies.filter((q) => q !== p);
    summary.removed++;
    summary.changed.push(`${ns.name}/${p.name}`);
  }
  summary.changed.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { model: head, summary };
}

/** Applies the first of `kind`, then the others, that the policy allows; returns the one applied. */
function modifyPolicy(policy, kind, ns, rng) {
  const order = { ports: ['ports', 'peer-added', 'peer-removed'], 'peer-added': ['peer-added', 'ports', 'peer-removed'], 'peer-removed': ['peer-removed', 'ports', 'peer-added'] }[kind];
  for (const k of order) if (MODIFIERS[k](policy, ns, rng)) return k;
  // Every template has a rule with ports or peers; a policy with neither (never generated) gets a port.
  const rules = policy.spec.ingress ?? policy.spec.egress;
  rules[0].ports = [{ protocol: 'TCP', port: 8443 }];
  return 'ports';
}

const rulesOf = (policy) => [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])];
const peersOf = (rule) => rule.from ?? rule.to;

const MODIFIERS = {
  /** A numeric port moves (a service changes its listener); a range moves as a whole. */
  ports(policy) {
    for (const rule of rulesOf(policy)) {
      const p = (rule.ports ?? []).find((q) => typeof q.port === 'number' && q.port !== 53 && (q.endPort ?? q.port) < 65535);
      if (!p) continue;
      p.port += 1;
      if (p.endPort !== undefined) p.endPort += 1;
      return true;
    }
    return false;
  },
  /** Another workload of the namespace may now connect (or be connected to). */
  'peer-added'(policy, ns, rng) {
    for (const rule of rulesOf(policy)) {
      const peers = peersOf(rule);
      if (!peers || peers.length === 0) continue;
      const present = new Set(peers.map((p) => JSON.stringify(p)));
      const fresh = ns.workloads.map((w) => ({ podSelector: { matchLabels: { app: w.name } } })).filter((p) => !present.has(JSON.stringify(p)));
      if (fresh.length === 0) continue;
      peers.push(rng.pick(fresh));
      return true;
    }
    return false;
  },
  /** A peer is no longer needed (the last one of a rule that has several). */
  'peer-removed'(policy) {
    for (const rule of rulesOf(policy)) {
      const peers = peersOf(rule);
      if (peers && peers.length >= 2) {
        peers.pop();
        return true;
      }
    }
    return false;
  },
};
