/**
 * VncSecurityPolicy.create_firewall_policy for one NetworkPolicy, with its order of side effects:
 * (1) parse: create the tags, address groups and deny-all rules; (2) create the parsed rules in
 * order; (3) append the deny-all rules to `C-denyall`; (4) create firewall policy `C-NS-NP` with
 * refs to its rules and add it to the APS. The config API can refuse an object at (1) or (2):
 * nothing after that happens and what was created stays, as in a cluster. A firewall policy
 * of that name that already exists (another NetworkPolicy with the same `C-NS-NP`) is taken over:
 * its rules are deleted and replaced, or, when its spec is identical, nothing is done at all.
 */
import { type NetworkPolicy, policyKey } from '../../model/policy.js';
import { at, fieldPath } from '../../model/source.js';
import { type Endpoint, type Finding, type SequencedRef, sequenceString } from '../../snapshot/model.js';
import {
  egressNameCollision,
  type FindingDraft,
  policyNameCollision,
  rejected,
  ruleNameCollision,
  slashUnescaped,
  toFinding,
  topLevelExpressionsIgnored,
} from './findings.js';
import { ANY } from './peers.js';
import { ANY_SERVICE } from './services.js';
import { egressRulePrefix, ruleDrafts } from './rules.js';
import { selectedPodTags } from './selectors.js';
import { firstEqualIndices, ruleKey, specKey } from './spec-json.js';
import { addRef, ConfigApiRejection, type ConfigStore, type DraftRule } from './store.js';

export interface ClusterState {
  readonly store: ConfigStore;
  readonly cluster: string;
  /** `C-denyall`: where every policy's deny-all rules go. */
  readonly denyAllPolicy: string;
  /** Per-NetworkPolicy firewall policies on the APS, in the order they were first added (a Set keeps that order). */
  readonly apsPolicies: Set<string>;
  readonly findings: Finding[];
  /** Every NetworkPolicy by `namespace/name`, to point findings about another policy at its file. */
  readonly byKey: ReadonlyMap<string, NetworkPolicy>;
}

export function firewallPolicyName(cluster: string, np: NetworkPolicy): string {
  return `${cluster}-${np.namespace}-${np.name}`;
}

export function translatePolicy(state: ClusterState, np: NetworkPolicy): void {
  const { store } = state;
  const key = policyKey(np);
  const fpName = firewallPolicyName(state.cluster, np);
  const spec = specKey(np);
  const nameOrigin = at(np.origin, 'metadata', 'name');

  const existing = store.policies.get(fpName);
  if (existing?.spec === spec) {
    state.findings.push(toFinding(key, policyNameCollision(nameOrigin, fpName, existing.policy ?? fpName, 'identical')));
    return;
  }
  const deleteCandidates = new Set(existing?.refs.map((r) => r.name) ?? []);

  const findings: FindingDraft[] = [];
  let denyAllRules = 0;
  let rulesWritten = 0;
  try {
    // (1) parse
    const own = selectedPodTags(store, np.podSelector, np.namespace);
    const selected: Endpoint = { tags: own.tags };
    for (const entry of own.unescapedSlash) findings.push(slashUnescaped(entry, 'policy'));
    if (np.podSelector.matchExpressions.length) {
      findings.push(topLevelExpressionsIgnored(at(np.podSelector.origin, 'matchExpressions'), own.tags));
    }
    const ctx = { store, policy: np, policyKey: key, selected, findings };
    const drafts: DraftRule[] = [];
    let ingressDenyAll: string | undefined;
    let egressDenyAll: string | undefined;
    for (const type of np.policyTypes) {
      if (type === 'Ingress') {
        const ruleIndices = firstEqualIndices(np.ingress, ruleKey);
        np.ingress.forEach((rule, i) => drafts.push(...ruleDrafts(ctx, rule, 'ingress', ruleIndices[i])));
        ingressDenyAll = `${np.namespace}-ingress-${np.name}-denyall`;
        writeRule(state, { name: ingressDenyAll, action: 'deny', service: ANY_SERVICE, endpoint1: ANY, endpoint2: selected, source: denyAllSource(np, key, 'ingress') });
        denyAllRules++;
      } else {
        np.egress.forEach((rule) => drafts.push(...ruleDrafts(ctx, rule, 'egress', 0)));
        egressDenyAll = `${egressRulePrefix(np)}-default-deny-all`;
        writeRule(state, { name: egressDenyAll, action: 'deny', service: ANY_SERVICE, endpoint1: selected, endpoint2: ANY, source: denyAllSource(np, key, 'egress') });
        denyAllRules++;
      }
    }

    // (2) create the rules; a repeated name updates the first ref's sequence in place
    const refs: SequencedRef[] = [];
    const refIndex = new Map<string, number>();
    drafts.forEach((draft, p) => {
      writeRule(state, draft, findings);
      rulesWritten++;
      deleteCandidates.delete(draft.name);
      addRef(refs, refIndex, draft.name, sequenceString(p));
    });

    // (3) deny-all rules to C-denyall: ingress first, whatever the policyTypes order
    if (ingressDenyAll) store.appendRule(state.denyAllPolicy, ingressDenyAll);
    if (egressDenyAll) store.appendRule(state.denyAllPolicy, egressDenyAll);

    // (4) the firewall policy (taking over one of the same name) and its place on the APS
    if (existing) {
      for (const name of deleteCandidates) store.deleteRule(name);
      const victim = existing.policy !== undefined ? state.byKey.get(existing.policy) : undefined;
      if (victim && existing.policy) {
        findings.push(policyNameCollision(nameOrigin, fpName, existing.policy, 'replaces'));
        state.findings.push(toFinding(existing.policy, policyNameCollision(at(victim.origin, 'metadata', 'name'), fpName, key, 'replaced')));
      }
    }
    const fp = store.policy(fpName);
    fp.refs = refs;
    fp.policy = key;
    fp.spec = spec;
    state.apsPolicies.add(fpName);
    state.findings.push(...findings.map((f) => toFinding(key, f)));
  } catch (e) {
    if (!(e instanceof ConfigApiRejection)) throw e;
    // The policy is not enforced at all: its other differences do not matter until this is fixed.
    state.findings.push(toFinding(key, rejected(e, { denyAll: denyAllRules, rules: rulesWritten })));
  }
}

/**
 * firewall_rule_create, or update when the name exists. A rule replaced with other content is a
 * name collision: within one policy only egress names can collide (no rule index); across
 * policies the earlier policy's firewall policy now points at the later policy's rule.
 */
function writeRule(state: ClusterState, draft: DraftRule, findings?: FindingDraft[]): void {
  const { replaced } = state.store.writeRule(draft);
  if (!replaced?.source?.origin) return;
  const earlier = replaced.source.policy;
  if (earlier === draft.source.policy) {
    findings?.push(egressNameCollision(replaced.source.origin, draft.name, fieldPath(draft.source.origin!.path), replaced.service));
  } else if (earlier) {
    state.findings.push(toFinding(earlier, ruleNameCollision(replaced.source.origin, draft.name, draft.source.policy ?? '')));
  }
}

function denyAllSource(np: NetworkPolicy, key: string, direction: 'ingress' | 'egress') {
  return { policy: key, direction, origin: np.podSelector.origin };
}
