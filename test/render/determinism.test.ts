/**
 * Rendering is a pure function of the policies: byte-identical files whatever order the files
 * are read in, whatever order the model lists hold, and whatever the time zone and locale of the
 * process (a child process renders under another TZ and LANG).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile/index.js';
import { DEFAULT_CONFIG } from '../../src/config/types.js';
import { readPolicySet } from '../../src/frontend.js';
import { memorySource } from '../../src/load/memory-source.js';
import { renderSnapshot } from '../../src/render/index.js';
import { renderFiles } from './render-child.js';

const here = path.dirname(fileURLToPath(import.meta.url));

const np = (ns: string, name: string, spec: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec}`;

const FILES: [string, string][] = [
  ['policies/shop/db.yaml', np('shop', 'db', '  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: web}}\n    ports: [{port: 5432}]\n')],
  ['policies/shop/web.yaml', np('shop', 'web', '  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}\n  egress:\n  - to:\n    - namespaceSelector: {matchLabels: {team: data}}\n')],
  ['policies/default/deny.yaml', np('default', 'deny-all', '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n')],
  ['policies/Zeta/ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: zeta\n  labels: {team: data}\n'],
  ['policies/ints/İstanbul.yaml', np('ints', 'ilk', '  podSelector: {matchLabels: {tier: Istanbul-I}}\n  ingress:\n  - from:\n    - podSelector: {matchExpressions: [{key: role, operator: In, values: [a, b]}]}\n')],
];

test('two renders from shuffled input order, another time zone and locale, give byte-identical files', async () => {
  const here1 = await renderFiles(FILES);
  const shuffled = [FILES[3], FILES[1], FILES[4], FILES[0], FILES[2]];
  const env = { ...process.env, TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' };
  const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'render-child.ts')], {
    input: JSON.stringify({ files: shuffled }),
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(child.status, 0, child.stderr);
  const there = JSON.parse(child.stdout) as { offset: number; files: Record<string, string> };
  assert.not.equal(there.offset, new Date(2024, 0, 1).getTimezoneOffset(), 'the child runs in another time zone');
  assert.equal(Object.keys(there.files), Object.keys(here1));
  for (const [p, text] of Object.entries(here1)) assert.ok(there.files[p] === text, `${p} is byte-identical`);
  assert.equal(Object.keys(here1), ['cn2/_global.yaml', 'cn2/default.yaml', 'cn2/ints.yaml', 'cn2/shop.yaml', 'contrail/vnc.json', 'firewall-rules.md']);
});

test('the compiler does not depend on the order of the policy model lists', async () => {
  const front = await readPolicySet(memorySource(Object.fromEntries(FILES)), 'policies');
  assert.equal(front.diagnostics.filter((d) => d.severity === 'error'), [], 'the input is valid');
  const render = (ps: typeof front.policySet) =>
    Object.fromEntries(renderSnapshot(compile(ps, { ...DEFAULT_CONFIG, mode: 'cn2', generator: 'g' }).snapshot!, DEFAULT_CONFIG));
  const reversed = {
    policies: [...front.policySet.policies].reverse(),
    namespaces: [...front.policySet.namespaces].reverse(),
    workloads: [...front.policySet.workloads].reverse(),
  };
  assert.equal(render(reversed), render(front.policySet));
});

test.run();
