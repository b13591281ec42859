/**
 * Mode cn2 against Contrail's own translator: reference/km/km-<name>.json is what Tungsten Fabric
 * kube-manager (run unmodified against the config API server's validation) created for
 * reference/km-inputs/<name>.yaml. Our render must give the same objects, every field, same order,
 * and each failure kube-manager hit must be a finding. The folder is a copy of the shared
 * reference set (../shared/reference), checked against it below whenever that folder exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderVncJson } from '../../../src/render/vnc.js';
import { compileYaml } from './compile-yaml.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const REFERENCE = path.join(here, 'reference');
const SHARED = path.resolve(here, '../../../../shared/reference');

interface ReferenceError {
  readonly policy: string;
  readonly error: string;
}

interface ReferenceFile {
  readonly kind: string;
  readonly version: number;
  readonly mode: string;
  readonly cluster: string;
  readonly objects: unknown[];
  readonly errors?: ReferenceError[];
}

/** The config API call that failed, from kube-manager's error: `CREATE <type> <fq_name>`. */
const FAILURE_KIND: Record<string, string> = {
  'firewall-rule': 'named-port',
  'address-group': 'ipv6-ipblock',
  tag: 'uppercase-label-key',
};

const inputs = readdirSync(path.join(REFERENCE, 'km-inputs')).filter((f) => f.endsWith('.yaml')).sort();

test('the reference set is complete', () => {
  assert.ok(inputs.length >= 16, `${inputs.length} inputs`);
  for (const f of inputs) assert.ok(existsSync(path.join(REFERENCE, 'km', `km-${f.replace(/\.yaml$/, '')}.json`)), `km-${f} exists`);
});

for (const file of inputs) {
  const name = file.replace(/\.yaml$/, '');
  test(`km reference: ${name}`, async () => {
    const ref = JSON.parse(readFileSync(path.join(REFERENCE, 'km', `km-${name}.json`), 'utf8')) as ReferenceFile;
    const snapshot = await compileYaml({ [file]: readFileSync(path.join(REFERENCE, 'km-inputs', file), 'utf8') }, ref.cluster);
    const rendered = JSON.parse(renderVncJson(snapshot)) as ReferenceFile;

    assert.equal([rendered.kind, rendered.version, rendered.mode, rendered.cluster], [ref.kind, ref.version, ref.mode, ref.cluster]);
    // Same objects, same order, same key order: compare the exact JSON text, then structurally for a readable diff.
    const ours = rendered.objects.map((o) => JSON.stringify(o));
    const theirs = ref.objects.map((o) => JSON.stringify(o));
    if (ours.join('\n') !== theirs.join('\n')) assert.equal(rendered.objects, ref.objects);

    const failures = snapshot.findings.filter((f) => Object.values(FAILURE_KIND).includes(f.kind));
    const expected = (ref.errors ?? []).map((e) => {
      const type = /on CREATE (\S+) /.exec(e.error)?.[1] ?? '';
      assert.ok(FAILURE_KIND[type], `known failing call in: ${e.error}`);
      return `${e.policy} ${FAILURE_KIND[type]}`;
    });
    assert.equal(failures.map((f) => `${f.policy} ${f.kind}`), expected);
    for (const f of failures) {
      assert.match(f.message, 'the whole policy is not enforced');
      assert.equal(f.severity, 'warning');
    }
  });
}

test('the copy matches the shared reference set', () => {
  if (!existsSync(SHARED)) return;
  for (const dir of ['km', 'km-inputs']) {
    const shared = readdirSync(path.join(SHARED, dir)).sort();
    assert.equal(readdirSync(path.join(REFERENCE, dir)).sort(), shared, `${dir}: same files`);
    for (const f of shared) {
      assert.ok(readFileSync(path.join(REFERENCE, dir, f)).equals(readFileSync(path.join(SHARED, dir, f))), `${dir}/${f} is up to date`);
    }
  }
});

test.run();
