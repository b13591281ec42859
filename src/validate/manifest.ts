/**
 * Typed manifests: the kept kinds as the API server holds them after decoding and before
 * validation (every field optional, nothing defaulted), and their decoders. Field lists follow
 * the Kubernetes API types (networking.k8s.io/v1 NetworkPolicy in full; for Namespace and
 * workloads only the parts the tool reads).
 */
import { int32, intOrString, list, str, stringMap, struct, type Decoder } from './schema.js';

export interface ObjectMetaManifest {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface LabelSelectorRequirementManifest {
  key?: string;
  operator?: string;
  values?: (string | undefined)[];
}

export interface LabelSelectorManifest {
  matchLabels?: Record<string, string>;
  matchExpressions?: (LabelSelectorRequirementManifest | undefined)[];
}

export interface IPBlockManifest {
  cidr?: string;
  except?: (string | undefined)[];
}

export interface NetworkPolicyPeerManifest {
  podSelector?: LabelSelectorManifest;
  namespaceSelector?: LabelSelectorManifest;
  ipBlock?: IPBlockManifest;
}

export interface NetworkPolicyPortManifest {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

export interface IngressRuleManifest {
  ports?: (NetworkPolicyPortManifest | undefined)[];
  from?: (NetworkPolicyPeerManifest | undefined)[];
}

export interface EgressRuleManifest {
  ports?: (NetworkPolicyPortManifest | undefined)[];
  to?: (NetworkPolicyPeerManifest | undefined)[];
}

export interface NetworkPolicySpecManifest {
  podSelector?: LabelSelectorManifest;
  ingress?: (IngressRuleManifest | undefined)[];
  egress?: (EgressRuleManifest | undefined)[];
  policyTypes?: (string | undefined)[];
}

export interface NetworkPolicyManifest {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMetaManifest;
  spec?: NetworkPolicySpecManifest;
}

export interface NamespaceManifest {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMetaManifest;
}

export interface ContainerPortManifest {
  name?: string;
  containerPort?: number;
  protocol?: string;
  hostPort?: number;
  hostIP?: string;
}

export interface ContainerManifest {
  name?: string;
  ports?: (ContainerPortManifest | undefined)[];
}

export interface PodSpecManifest {
  containers?: (ContainerManifest | undefined)[];
}

export interface PodTemplateManifest {
  metadata?: ObjectMetaManifest;
  spec?: PodSpecManifest;
}

export interface PodStatusManifest {
  podIP?: string;
}

export interface PodManifest {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMetaManifest;
  spec?: PodSpecManifest;
  status?: PodStatusManifest;
}

/** Deployment, StatefulSet, DaemonSet, ReplicaSet, Job: a pod template at `spec.template`. */
export interface PodControllerManifest {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMetaManifest;
  spec?: { template?: PodTemplateManifest };
}

/** CronJob: the pod template is at `spec.jobTemplate.spec.template`. */
export interface CronJobManifest {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMetaManifest;
  spec?: { jobTemplate?: { metadata?: ObjectMetaManifest; spec?: { template?: PodTemplateManifest } } };
}

/** metav1.ObjectMeta: every field is known; the ones the tool reads are typed. */
const objectMeta: Decoder<ObjectMetaManifest> = struct<ObjectMetaManifest>(
  { name: str, generateName: str, namespace: str, labels: stringMap, annotations: stringMap },
  {
    ignored: [
      'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
      'deletionGracePeriodSeconds', 'ownerReferences', 'finalizers', 'managedFields',
    ],
  },
);

const labelSelectorRequirement = struct<LabelSelectorRequirementManifest>({ key: str, operator: str, values: list(str) });

export const labelSelector: Decoder<LabelSelectorManifest> = struct<LabelSelectorManifest>({
  matchLabels: stringMap,
  matchExpressions: list(labelSelectorRequirement),
});

const ipBlock = struct<IPBlockManifest>({ cidr: str, except: list(str) });

const peer = struct<NetworkPolicyPeerManifest>({ podSelector: labelSelector, namespaceSelector: labelSelector, ipBlock });

const policyPort = struct<NetworkPolicyPortManifest>({ protocol: str, port: intOrString, endPort: int32 });

export const networkPolicy: Decoder<NetworkPolicyManifest> = struct<NetworkPolicyManifest>({
  apiVersion: str,
  kind: str,
  metadata: objectMeta,
  spec: struct<NetworkPolicySpecManifest>({
    podSelector: labelSelector,
    ingress: list(struct<IngressRuleManifest>({ ports: list(policyPort), from: list(peer) })),
    egress: list(struct<EgressRuleManifest>({ ports: list(policyPort), to: list(peer) })),
    policyTypes: list(str),
  }),
});

export const namespace: Decoder<NamespaceManifest> = struct<NamespaceManifest>(
  { apiVersion: str, kind: str, metadata: objectMeta },
  { ignored: ['spec', 'status'] },
);

const containerPort = struct<ContainerPortManifest>({ name: str, containerPort: int32, protocol: str, hostPort: int32, hostIP: str });
const container = struct<ContainerManifest>({ name: str, ports: list(containerPort) }, { open: true });
const podSpec = struct<PodSpecManifest>({ containers: list(container) }, { open: true });
const podTemplate = struct<PodTemplateManifest>({ metadata: objectMeta, spec: podSpec });

type ControllerSpec = NonNullable<PodControllerManifest['spec']>;
type CronJobSpec = NonNullable<CronJobManifest['spec']>;
type JobTemplate = NonNullable<CronJobSpec['jobTemplate']>;

// Workloads: top-level fields, metadata and the pod template's labels and container ports are
// checked; the rest of a spec is not the tool's business and is not judged.
export const pod: Decoder<PodManifest> = struct<PodManifest>({
  apiVersion: str,
  kind: str,
  metadata: objectMeta,
  spec: podSpec,
  status: struct<PodStatusManifest>({ podIP: str }, { open: true }),
});

export const podController: Decoder<PodControllerManifest> = struct<PodControllerManifest>(
  { apiVersion: str, kind: str, metadata: objectMeta, spec: struct<ControllerSpec>({ template: podTemplate }, { open: true }) },
  { ignored: ['status'] },
);

export const cronJob: Decoder<CronJobManifest> = struct<CronJobManifest>({
  apiVersion: str,
  kind: str,
  metadata: objectMeta,
  spec: struct<CronJobSpec>(
    {
      jobTemplate: struct<JobTemplate>({
        metadata: objectMeta,
        spec: struct<NonNullable<JobTemplate['spec']>>({ template: podTemplate }, { open: true }),
      }),
    },
    { open: true },
  ),
}, { ignored: ['status'] });
