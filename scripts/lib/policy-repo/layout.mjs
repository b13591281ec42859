/**
 * The files of one revision: the model laid out as a team keeps it in git
 * (`policies/<ns>/namespace.yaml`, `policies/<ns>/workloads.yaml`, one file per policy, a few
 * multi-document files and `kind: List`s), written as YAML text.
 */
import { dump } from 'js-yaml';

const YAML_OPTIONS = { lineWidth: -1, noRefs: true };

/**
 * @param {import('./model.mjs').NamespaceSpec[]} model
 * @param {Map<string, string>} [texts] YAML text by JSON text of the object: pass the same map
 *   for both revisions, and the head revision reuses the base's text of every unchanged object
 *   (dumping YAML is most of the generator's time)
 * @returns {Map<string, string>} repository-relative path -> file text, sorted by path
 */
export function layoutFiles(model, texts = new Map()) {
  const yaml = (object) => {
    const key = JSON.stringify(object);
    let text = texts.get(key);
    if (text === undefined) texts.set(key, (text = dump(object, YAML_OPTIONS)));
    return text;
  };
  const multiDocument = (objects) => objects.map(yaml).join('---\n');
  const files = new Map();
  for (const ns of model) {
    files.set(`policies/${ns.name}/namespace.yaml`, yaml(namespaceObject(ns)));
    if (ns.workloads.length > 0) {
      const objects = ns.workloads.map((w) => workloadObject(ns, w));
      const text = ns.workloadsAsList
        ? `# kubectl get deployments,statefulsets -n ${ns.name} -o yaml\n${yaml({ apiVersion: 'v1', kind: 'List', items: objects })}`
        : multiDocument(objects);
      files.set(`policies/${ns.name}/workloads.yaml`, text);
    }
    const byFile = new Map();
    for (const p of ns.policies) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p.object]);
    for (const [file, objects] of byFile) {
      files.set(file, `# Owned by team ${ns.team}: changes need a review from its security champion.\n${multiDocument(objects)}`);
    }
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function namespaceObject(ns) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.name, labels: ns.labels } };
}

function workloadObject(ns, w) {
  const stateful = w.kind === 'StatefulSet';
  const selector = 'app' in w.labels ? { app: w.labels.app } : { ...w.labels };
  const container = {
    name: w.name.length <= 63 ? w.name : 'main',
    image: w.image,
    ports: w.ports.map(([name, containerPort, protocol]) => ({ name, containerPort, protocol })),
  };
  return {
    apiVersion: 'apps/v1',
    kind: w.kind,
    metadata: { name: w.name, namespace: ns.name, labels: { ...w.labels } },
    spec: {
      replicas: stateful ? 3 : 2,
      ...(stateful ? { serviceName: w.name } : {}),
      selector: { matchLabels: selector },
      template: { metadata: { labels: { ...w.labels } }, spec: { containers: [container] } },
    },
  };
}
