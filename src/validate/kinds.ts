/** The kinds the tool keeps, the API version each is served as, and its decoder. */
import type { WorkloadKind } from '../model/policy.js';
import * as m from './manifest.js';
import type { Decoder } from './schema.js';

export type KeptKind = 'NetworkPolicy' | 'Namespace' | WorkloadKind;

export interface KindSpec {
  /** The one API version Kubernetes serves the kind as (older betas are no longer served). */
  readonly apiVersion: string;
  readonly decoder: Decoder<unknown>;
}

export const KEPT_KINDS: Readonly<Record<KeptKind, KindSpec>> = {
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', decoder: m.networkPolicy },
  Namespace: { apiVersion: 'v1', decoder: m.namespace },
  Pod: { apiVersion: 'v1', decoder: m.pod },
  Deployment: { apiVersion: 'apps/v1', decoder: m.podController },
  StatefulSet: { apiVersion: 'apps/v1', decoder: m.podController },
  DaemonSet: { apiVersion: 'apps/v1', decoder: m.podController },
  ReplicaSet: { apiVersion: 'apps/v1', decoder: m.podController },
  Job: { apiVersion: 'batch/v1', decoder: m.podController },
  CronJob: { apiVersion: 'batch/v1', decoder: m.cronJob },
};

export function isKeptKind(kind: string): kind is KeptKind {
  return Object.prototype.hasOwnProperty.call(KEPT_KINDS, kind);
}

export function isWorkloadKind(kind: KeptKind): kind is WorkloadKind {
  return kind !== 'NetworkPolicy' && kind !== 'Namespace';
}
