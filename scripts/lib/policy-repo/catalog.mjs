/**
 * The vocabulary of a generated repository: teams, components, workload archetypes and the
 * platform namespaces every cluster has. Values are chosen to be valid Kubernetes names and label
 * values as they are (DNS-1123 labels, IANA service names for container ports), and to stay clear
 * of the keys the two translation modes treat specially: pod label keys never repeat a namespace
 * label key (a namespace label reaches its pods as a tag and wins, which mode `exact` refuses when
 * a pod selector uses that key), and no pod has an `application` label (it would replace the
 * cluster's `application=<cluster>` tag).
 */

export const TEAMS = [
  'payments', 'checkout', 'catalog', 'identity', 'search', 'ledger', 'shipping', 'inventory',
  'billing', 'analytics', 'messaging', 'notifications', 'pricing', 'reviews', 'media', 'risk',
  'fraud', 'loyalty', 'partners', 'support', 'orders', 'accounts', 'content', 'recommendations',
];

/** The part of a namespace name after the team: what the namespace holds. */
export const NAMESPACE_PURPOSES = ['core', 'api', 'web', 'data', 'jobs', 'edge', 'platform', 'svc'];

export const ENVIRONMENTS = [
  { weight: 5, value: 'prod' },
  { weight: 3, value: 'staging' },
  { weight: 2, value: 'dev' },
];

/** The first part of a workload name. */
export const COMPONENTS = [
  'orders', 'cart', 'users', 'auth', 'catalog', 'ledger', 'invoices', 'profile', 'session',
  'events', 'reports', 'media', 'notify', 'pricing', 'ratings', 'stock', 'shipments', 'refunds',
  'accounts', 'audit', 'quotes', 'tokens', 'feeds', 'exports',
];

/**
 * Workload archetypes: kind, pod labels `tier` and `role`, container ports (name, number,
 * protocol). `main` names the port clients connect to; `metrics` the one Prometheus scrapes.
 * Named ports are IANA service names (at most 15 characters, lower case, a letter, no `--`).
 */
export const ARCHETYPES = {
  web: {
    kind: 'Deployment', tier: 'frontend', role: 'web', image: 'registry.example.com/web/nginx-unprivileged:1.27.3',
    ports: [['http', 8080], ['metrics', 9113]], main: 'http', metrics: 'metrics',
  },
  gateway: {
    kind: 'Deployment', tier: 'frontend', role: 'gateway', image: 'registry.example.com/edge/envoy:1.31.2',
    ports: [['https', 8443], ['admin', 9901]], main: 'https', metrics: 'admin',
  },
  api: {
    kind: 'Deployment', tier: 'backend', role: 'api', image: 'registry.example.com/svc/api:2.14.0',
    ports: [['http', 8080], ['grpc', 9090], ['metrics', 9100]], main: 'http', metrics: 'metrics',
  },
  worker: {
    kind: 'Deployment', tier: 'backend', role: 'worker', image: 'registry.example.com/svc/worker:2.14.0',
    ports: [['metrics', 9100]], main: 'metrics', metrics: 'metrics',
  },
  postgres: {
    kind: 'StatefulSet', tier: 'data', role: 'db', image: 'registry.example.com/data/postgres:16.4',
    ports: [['postgres', 5432], ['metrics', 9187]], main: 'postgres', metrics: 'metrics',
  },
  redis: {
    kind: 'StatefulSet', tier: 'data', role: 'cache', image: 'registry.example.com/data/redis:7.4.1',
    ports: [['redis', 6379], ['metrics', 9121]], main: 'redis', metrics: 'metrics',
  },
  kafka: {
    kind: 'StatefulSet', tier: 'data', role: 'queue', image: 'registry.example.com/data/kafka:3.8.0',
    ports: [['kafka', 9092], ['kafka-ssl', 9093], ['kafka-sasl', 9094], ['metrics', 9308]], main: 'kafka', metrics: 'metrics',
    /** Clients reach every listener: a port range (`endPort`). */
    clientRange: [9092, 9094],
  },
  search: {
    kind: 'StatefulSet', tier: 'data', role: 'search', image: 'registry.example.com/data/opensearch:2.17.1',
    ports: [['http', 9200], ['transport', 9300]], main: 'http', metrics: 'http',
  },
};

/** How often each archetype appears after the first three workloads of a namespace. */
export const ARCHETYPE_WEIGHTS = [
  { weight: 30, value: 'api' },
  { weight: 14, value: 'web' },
  { weight: 20, value: 'worker' },
  { weight: 5, value: 'gateway' },
  { weight: 11, value: 'postgres' },
  { weight: 10, value: 'redis' },
  { weight: 5, value: 'kafka' },
  { weight: 5, value: 'search' },
];

/** Every namespace starts with these, so that the usual policies have someone to talk to. */
export const FIRST_ARCHETYPES = ['web', 'api', 'postgres'];

/** The namespace label every cluster since Kubernetes 1.21 sets; the usual way to select one namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Platform namespaces, present in every cluster and every generated repository, in addition to
 * the application namespaces: the DNS servers, the ingress controller and the monitoring stack
 * that application policies name as peers.
 */
export const PLATFORM = {
  dns: {
    namespace: 'kube-system',
    workload: {
      kind: 'Deployment', name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3',
      labels: { 'k8s-app': 'kube-dns' },
      ports: [['dns', 53, 'UDP'], ['dns-tcp', 53, 'TCP'], ['metrics', 9153, 'TCP']],
    },
  },
  ingress: {
    namespace: 'ingress-nginx',
    workload: {
      kind: 'Deployment', name: 'ingress-nginx-controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.11.3',
      labels: { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/name': 'ingress-nginx' },
      ports: [['http', 80, 'TCP'], ['https', 443, 'TCP'], ['metrics', 10254, 'TCP']],
    },
  },
  monitoring: {
    namespace: 'monitoring',
    workload: {
      kind: 'StatefulSet', name: 'prometheus', image: 'quay.io/prometheus/prometheus:v2.54.1',
      labels: { 'app.kubernetes.io/name': 'prometheus' },
      ports: [['web', 9090, 'TCP']],
    },
  },
};

/** Addresses of things outside the cluster, as a network team hands them out. */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
