/**
 * FWRule.spec_parser: one peer of a rule (`from[j]` / `to[j]`) -> the endpoints CN2 writes for it,
 * each with its rule-name stem and action. Tags and address groups are created on the way, in
 * kube-manager's order (namespace selector, pod selector, then each `except`, then the `cidr`).
 */
import type { PolicyPeer } from '../../model/policy.js';
import { at, type Origin } from '../../model/source.js';
import type { Action, Endpoint } from '../../snapshot/model.js';
import {
  emptyNamespaceSelector,
  emptyPodSelectorOwnNamespace,
  expressionsRewritten,
  type FindingDraft,
  namespaceNotIn,
  type Side,
  slashUnescaped,
} from './findings.js';
import { isEmptySelector, type SelectorReading, selectorTags } from './selectors.js';
import type { ConfigStore } from './store.js';

export interface PeerEndpoint {
  /** Rule name without the port index. */
  readonly name: string;
  readonly endpoint: Endpoint;
  readonly action: Action;
  readonly origin: Origin;
  /** Set on the deny rule an `except` entry becomes. */
  readonly except?: { readonly cidr: string; readonly origin: Origin };
}

export interface PeerContext {
  readonly store: ConfigStore;
  readonly namespace: string;
  readonly side: Side;
  readonly findings: FindingDraft[];
}

export const ANY: Endpoint = { any: true };

export function tagsEndpoint(tags: readonly string[]): Endpoint {
  return tags.length ? { tags } : ANY;
}

/** `namespaceSelector: {}` alone: kube-manager writes nothing for it (the rule decides what that means). */
export function isBareEmptyNamespaceSelector(peer: PolicyPeer): boolean {
  return peer.namespaceSelector !== undefined && isEmptySelector(peer.namespaceSelector) && !peer.podSelector && !peer.ipBlock;
}

export function peerEndpoints(ctx: PeerContext, peer: PolicyPeer, j: number, prefix: string): PeerEndpoint[] {
  const { store, namespace } = ctx;
  const out: PeerEndpoint[] = [];
  let tagsNs: readonly string[] = [];
  let tagsPs: readonly string[] = [];
  let part: 'namespaceSelector' | 'podSelector' | undefined;
  let passRule = false;

  const ns = peer.namespaceSelector;
  if (ns) {
    part = 'namespaceSelector';
    if (!isEmptySelector(ns)) {
      const reading = selectorTags(store, ns);
      tagsNs = reading.tags;
      noteSlashes(ctx, reading);
      const first = ns.matchExpressions[0];
      if (first?.operator === 'NotIn') {
        // kube-manager's NotIn branch: a deny for the first tag, then a pass to `any` (its tag list is still empty here).
        out.push({ name: `${prefix}-namespaceSelector-${j}-${tagsNs[0]}`, endpoint: tagsEndpoint(tagsNs), action: 'deny', origin: peer.origin });
        out.push({ name: `${prefix}-namespaceSelector-${j}`, endpoint: ANY, action: 'pass', origin: peer.origin });
        ctx.findings.push(namespaceNotIn(first.origin, first, tagsNs[0], ctx.side));
      } else {
        passRule = true;
        note(ctx, expressionsRewritten(at(ns.origin, 'matchExpressions'), reading, ctx.side));
      }
    }
  }

  const ps = peer.podSelector;
  if (ps) {
    passRule = true;
    part = 'podSelector';
    if (!isEmptySelector(ps)) {
      // With a namespaceSelector the pod tags get no namespace tag: the pods may be in any selected namespace.
      const reading = selectorTags(store, ps, ns ? undefined : namespace);
      tagsPs = reading.tags;
      noteSlashes(ctx, reading);
      note(ctx, expressionsRewritten(at(ps.origin, 'matchExpressions'), reading, ctx.side));
    } else {
      tagsPs = [`namespace=${namespace}`];
      if (ns && isEmptySelector(ns)) {
        ctx.findings.push(emptyNamespaceSelector(peer.origin, 'own-namespace', namespace, ctx.side));
      } else if (tagsNs.length) {
        ctx.findings.push(emptyPodSelectorOwnNamespace(at(peer.origin, 'podSelector'), namespace, [...tagsNs, ...tagsPs]));
      }
    }
  }

  if (passRule) {
    const tags = [...tagsNs, ...tagsPs];
    out.push({ name: `${prefix}-${part}-${j}`, endpoint: tagsEndpoint(tags), action: 'pass', origin: peer.origin });
  }

  const block = peer.ipBlock;
  if (block) {
    block.except.forEach((cidr, e) => {
      const origin = at(block.origin, 'except', e);
      const ag = store.createAddressGroup(cidr, origin);
      out.push({ name: `${prefix}-ipBlock-${j}-${cidr}`, endpoint: { addressGroup: ag }, action: 'deny', origin: peer.origin, except: { cidr, origin } });
    });
    const ag = store.createAddressGroup(block.cidr, at(block.origin, 'cidr'));
    out.push({ name: `${prefix}-ipBlock-${j}-cidr-${block.cidr}`, endpoint: { addressGroup: ag }, action: 'pass', origin: peer.origin });
  }
  return out;
}

function noteSlashes(ctx: PeerContext, reading: SelectorReading): void {
  for (const entry of reading.unescapedSlash) ctx.findings.push(slashUnescaped(entry, 'peer'));
}

function note(ctx: PeerContext, f: FindingDraft | undefined): void {
  if (f) ctx.findings.push(f);
}
