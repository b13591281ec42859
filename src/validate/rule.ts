/**
 * Validation rules, graphql-js style: a rule is a factory of visitors; the walker (`walk.ts`)
 * calls each visitor's hooks as it goes through the decoded objects, and a rule reports through
 * its context. An object rule sees each object alone (its findings depend on that object only,
 * so they are reused wherever the same file is read again); a folder rule (`scope: 'folder'`)
 * sees every object of the folder in order with one visitor, so it may keep state across
 * objects (duplicate names).
 */
import type { Severity } from '../diagnostics.js';
import type { Origin, Path } from '../model/source.js';
import type {
  ContainerPortManifest,
  IPBlockManifest,
  LabelSelectorManifest,
  NetworkPolicyManifest,
  NetworkPolicyPeerManifest,
  NetworkPolicyPortManifest,
  NetworkPolicySpecManifest,
  ObjectMetaManifest,
  PodStatusManifest,
} from './manifest.js';
import type { KeptKind } from './kinds.js';

/** The object being walked. */
export interface ObjectInfo {
  readonly kind: KeptKind;
  /** Points at the object (path `[]`). */
  readonly origin: Origin;
}

export interface ReportOptions {
  /** Default `error`. */
  readonly severity?: Severity;
  /** Point at the key of `path` rather than its value (messages about the field itself). */
  readonly key?: boolean;
}

export interface RuleContext {
  /** The object the walker is in. */
  readonly object: ObjectInfo;
  /** Reports a problem at `path` (relative to the object) of the current object. */
  report(path: Path, message: string, options?: ReportOptions): void;
}

/** Hooks, each called with the node and its path in the object. Absent nodes are not visited. */
export interface Visitor {
  /** `metadata` of every kept object (`isObject`) and of pod templates. */
  ObjectMeta?(meta: ObjectMetaManifest, path: Path, isObject: boolean): void;
  NetworkPolicy?(np: NetworkPolicyManifest, path: Path): void;
  NetworkPolicySpec?(spec: NetworkPolicySpecManifest, path: Path): void;
  LabelSelector?(selector: LabelSelectorManifest, path: Path): void;
  NetworkPolicyPeer?(peer: NetworkPolicyPeerManifest, path: Path): void;
  IPBlock?(block: IPBlockManifest, path: Path): void;
  NetworkPolicyPort?(port: NetworkPolicyPortManifest, path: Path): void;
  ContainerPort?(port: ContainerPortManifest, path: Path): void;
  PodStatus?(status: PodStatusManifest, path: Path): void;
}

export interface Rule {
  /** Kebab-case, the file name under `rules/`. */
  readonly name: string;
  /** `folder`: one visitor for the whole folder; default `object`: findings depend on the object alone. */
  readonly scope?: 'object' | 'folder';
  create(context: RuleContext): Visitor;
}

/** `Invalid value` detail, kubectl style, with the value quoted as JSON. */
export function invalid(value: string | number, detail: string): string {
  return `invalid value ${JSON.stringify(value)}: ${detail}`;
}

/** `Unsupported value` detail, kubectl style. */
export function unsupported(value: string, supported: readonly string[]): string {
  return `unsupported value ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`;
}
