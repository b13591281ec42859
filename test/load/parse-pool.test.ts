import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostic, UserError } from '../../src/diagnostics.js';
import { readPolicySet } from '../../src/frontend.js';
import { memorySource } from '../../src/load/memory-source.js';
import { PARALLEL_MIN_BYTES, PARSE_THREADS_VARIABLE, parserPoolFor, YamlParserPool } from '../../src/load/parse-pool.js';
import { parseYamlValues } from '../../src/load/yaml-file.js';

/** Warnings the pool raised (it says so when its threads stop and it parses on the main thread). */
const warnings: string[] = [];
process.on('warning', (w) => {
  if ((w as { code?: string }).code === PARSE_THREADS_VARIABLE) warnings.push(w.message);
});
test.before.each(() => {
  warnings.length = 0;
});

/** Texts a thread must parse exactly as the main thread does, errors included. */
const TEXTS: Record<string, string> = {
  'two documents': 'a: 1\n---\nb: [x, "y", 3.5, null, true]\n',
  'aliases and a merge key': 'base: &b {port: 80, protocol: TCP}\nuse: *b\nmerged:\n  <<: *b\n  port: 443\n',
  'YAML 1.1 booleans': 'enabled: yes\nlabel: "yes"\noff: off\n',
  'a __proto__ key': '__proto__: {polluted: true}\nname: x\n',
  'numbers': 'a: 0x1F\nb: 1e3\nc: .inf\nd: -.inf\ne: .nan\nf: -0\n',
  'JSON': '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}',
  'an empty document': '# only a comment\n',
  'invalid YAML': 'a: [1, 2\nb: 3\n',
  'a billion laughs': `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 6 }, (_, i) => `${'bcdefg'[i]}: &${'bcdefg'[i]} [${Array(10).fill(`*${'abcdef'[i]}`).join(', ')}]`).join('\n')}\n`,
};

test('a thread parses every kind of text to what the main thread gets: values, aliases shared, problems at the same place', async () => {
  const pool = new YamlParserPool(2);
  try {
    for (const [name, text] of Object.entries(TEXTS)) {
      const here = parseYamlValues(text);
      const there = await pool.parse(text);
      assert.equal(there, here, name);
      // Structured clone makes plain objects and arrays, as js-yaml does.
      if (here.ok && there.ok) here.values.forEach((v, i) => v !== null && assert.is(Object.getPrototypeOf(there.values[i]), Object.getPrototypeOf(v), name));
    }
    const aliased = await pool.parse(TEXTS['aliases and a merge key']!);
    assert.ok(aliased.ok);
    const doc = aliased.values[0] as { base: object; use: object };
    assert.ok(doc.base === doc.use, 'an alias is the same object, as js-yaml constructs it');
    const proto = await pool.parse(TEXTS['a __proto__ key']!);
    assert.ok(proto.ok && Object.hasOwn(proto.values[0] as object, '__proto__'), 'an own key, not the prototype');
    assert.is(({} as { polluted?: boolean }).polluted, undefined);
    assert.equal(warnings, [], 'the threads answered (no fallback to the main thread)');
  } finally {
    await pool.close();
  }
});

/** A folder large enough to be worth threads, with problems for the front end to report at their lines. */
function folder(): Record<string, string> {
  const files: Record<string, string> = {
    'policies/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {team: web}\n',
    'policies/broken.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x\n',
    'policies/invalid.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: Bad_Name\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Sideways]\n',
  };
  for (let i = 0; i < 200; i++) {
    files[`policies/np-${String(i).padStart(3, '0')}.yaml`] = [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      `metadata: {name: allow-${i}, namespace: shop}`,
      'spec:',
      `  podSelector: {matchLabels: {app: a${i}}}`,
      '  ingress:',
      `  - from: [{podSelector: {matchLabels: {app: b${i}}}}]`,
      `    ports: [{port: ${1000 + i}, protocol: TCP}]`,
      '',
    ].join('\n');
  }
  return files;
}

async function frontEndWith(threads: string) {
  const before = process.env[PARSE_THREADS_VARIABLE];
  process.env[PARSE_THREADS_VARIABLE] = threads;
  try {
    const r = await readPolicySet(memorySource(folder()), 'policies');
    return { policies: JSON.stringify(r.policySet.policies.map((p) => [p.namespace, p.name, p.podSelector])), diagnostics: r.diagnostics.map(formatDiagnostic), files: r.files };
  } finally {
    if (before === undefined) delete process.env[PARSE_THREADS_VARIABLE];
    else process.env[PARSE_THREADS_VARIABLE] = before;
  }
}

test('the front end reads a folder in threads as it does on the main thread: the same policies, the same messages at the same lines', async () => {
  const onMain = await frontEndWith('0');
  const inThreads = await frontEndWith('3');
  assert.is(onMain.files, 203);
  assert.ok(onMain.diagnostics.some((d) => d.startsWith('policies/broken.yaml:4:')), onMain.diagnostics.join('\n'));
  assert.ok(onMain.diagnostics.some((d) => d.startsWith('policies/invalid.yaml:4:')), onMain.diagnostics.join('\n'));
  assert.equal(inThreads, onMain);
  assert.equal(warnings, [], 'the threads answered (no fallback to the main thread)');
});

test('threads only for a large folder on more than one core, unless the environment says how many', () => {
  const small = [{ path: 'policies/a.yaml', size: 1000 }];
  const large = [{ path: 'policies/a.yaml', size: PARALLEL_MIN_BYTES }];
  assert.is(parserPoolFor(small, {}), undefined);
  const auto = parserPoolFor(large, {});
  // Threads start only when there is enough to parse, so a pool that is never used costs nothing.
  if (availableParallelism() > 1) assert.ok(auto && auto.size >= 2 && auto.size <= 4, `${auto?.size} threads`);
  else assert.is(auto, undefined, 'one core: no threads');
  assert.is(parserPoolFor(large, { [PARSE_THREADS_VARIABLE]: '0' }), undefined);
  assert.is(parserPoolFor(small, { [PARSE_THREADS_VARIABLE]: '2' })?.size, 2);
  try {
    parserPoolFor(small, { [PARSE_THREADS_VARIABLE]: 'all' });
    assert.unreachable('a bad value is refused');
  } catch (e) {
    assert.instance(e, UserError);
    assert.is((e as Error).message, 'CONTRAIL_GITOPS_PARSE_THREADS must be a whole number of threads (0 parses on the main thread), not "all"');
  }
});

test('a closed pool still answers, on the main thread', async () => {
  const pool = new YamlParserPool(1);
  await pool.parse('a: 1\n');
  await pool.close();
  assert.equal(await pool.parse('b: 2\n'), { ok: true, values: [{ b: 2 }] });
  assert.equal(warnings, [], 'closing is not a failure');
});

test('a process waits for a parse in a thread, and exits when the threads are idle even if nobody closes the pool', () => {
  const pool = new URL('../../src/load/parse-pool.ts', import.meta.url).href;
  const script = `import { YamlParserPool } from ${JSON.stringify(pool)};
const pool = new YamlParserPool(2);
const big = Array.from({ length: 20000 }, (_, i) => 'k' + i + ': [a, {b: ' + i + '}]').join('\\n');
const r = await Promise.all([pool.parse(big), pool.parse('a: 1')]);
process.stdout.write(Object.keys(r[0].values[0]).length + ' ' + JSON.stringify(r[1]) + '\\n');`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.is(child.status, 0, child.stderr);
  assert.is(child.stdout, '20000 {"ok":true,"values":[{"a":1}]}\n');
});

test.run();
