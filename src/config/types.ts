import type { Mode } from '../snapshot/model.js';

/** The configuration every stage reads: `contrail-gitops.yaml`, then CLI flags over it. */
export interface Config {
  /** Repository root (absolute); every other path is relative to it. */
  readonly root: string;
  /** Policies folder, relative to root (default `policies`). */
  readonly policies: string;
  /** Output folder, relative to root (default `rendered`). */
  readonly output: string;
  readonly mode: Mode;
  /** Cluster name: prefixes CN2's object names and names the application policy set (default `k8s`). */
  readonly cluster: string;
  /** apiVersion of the CN2 custom resources (default `core.contrail.juniper.net/v1alpha1`). */
  readonly cn2ApiVersion: string;
  /** Pod network, for addresses of pods without `status.podIP` (default `10.244.0.0/16`). */
  readonly podCIDR: string;
  /** The manifests list every namespace and workload: lets mode `exact` resolve NotIn/Exists/DoesNotExist. */
  readonly inventoryComplete: boolean;
}

export const DEFAULT_CONFIG: Omit<Config, 'root'> = {
  policies: 'policies',
  output: 'rendered',
  mode: 'cn2',
  cluster: 'k8s',
  cn2ApiVersion: 'core.contrail.juniper.net/v1alpha1',
  podCIDR: '10.244.0.0/16',
  inventoryComplete: false,
};
