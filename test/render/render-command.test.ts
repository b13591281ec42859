/** `contrail-gitops render` on a repository in a temporary folder: what the user sees and what lands on disk. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderCommand } from '../../src/cli/commands/render.js';
import { MANIFEST } from '../../src/render/write.js';

const test = suite<{ root: string }>('render command', { root: '' });

test.before.each((ctx) => {
  ctx.root = mkdtempSync(path.join(tmpdir(), 'cg-render-'));
  mkdirSync(path.join(ctx.root, 'policies/shop'), { recursive: true });
  writeFileSync(
    path.join(ctx.root, 'policies/shop/db.yaml'),
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: db}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: web}}
    ports:
    - port: 5432
      endPort: 5440
`,
  );
});
test.after.each((ctx) => rmSync(ctx.root, { recursive: true, force: true }));

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  }) as Writable & { text: () => string };
  w.text = () => chunks.join('');
  return w;
}

async function run(root: string, values: Record<string, string | boolean> = {}) {
  const stdout = sink();
  const stderr = sink();
  const code = await renderCommand.run(values, [], { cwd: root, stdout, stderr, env: {} });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

test('renders, prints the findings as warnings and one summary line', async ({ root }) => {
  const r = await run(root);
  assert.equal(r.code, 0);
  assert.equal(
    r.stdout,
    'rendered 4 tags, 0 address groups, 4 firewall rules, 4 firewall policies, 1 application policy set: 4 files changed, 0 removed (rendered/)\n',
  );
  assert.equal(
    r.stderr,
    'policies/shop/db.yaml:14:16: warning: spec.ingress[0].ports[0].endPort: endPort 5440 is ignored by CN2: only port 5432 is allowed, not 5432-5440 [end-port-ignored]\n',
  );
  for (const f of ['contrail/vnc.json', 'cn2/_global.yaml', 'cn2/shop.yaml', 'firewall-rules.md']) assert.ok(existsSync(path.join(root, 'rendered', f)), f);
  const manifest = readFileSync(path.join(root, 'rendered', MANIFEST), 'utf8');
  assert.match(manifest, /\n# inputs: sha256:[0-9a-f]{64}\n# outputs: sha256:[0-9a-f]{64}\ncn2\/_global\.yaml\n/);
  const again = await run(root);
  assert.equal(again.stdout, 'rendered 4 tags, 0 address groups, 4 firewall rules, 4 firewall policies, 1 application policy set: 0 files changed, 0 removed (rendered/)\n');
  assert.is(readFileSync(path.join(root, 'rendered', MANIFEST), 'utf8'), manifest, 'the same render stamps the same manifest');
});

test('--check: up to date, then stale after a policy change (exit 1, files listed, nothing written)', async ({ root }) => {
  await run(root);
  const ok = await run(root, { check: true });
  assert.equal([ok.code, ok.stdout], [0, 'rendered/ is up to date (4 files)\n']);

  rmSync(path.join(root, 'policies/shop/db.yaml'));
  writeFileSync(path.join(root, 'policies/shop/ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
  const before = readFileSync(path.join(root, 'rendered/contrail/vnc.json'), 'utf8');
  const stale = await run(root, { check: true });
  assert.equal(stale.code, 1);
  assert.equal(
    stale.stderr,
    [
      'rendered/ is not what a render writes: 4 files differ',
      '  would write:  rendered/cn2/_global.yaml',
      '  would write:  rendered/contrail/vnc.json',
      '  would write:  rendered/firewall-rules.md',
      '  would remove: rendered/cn2/shop.yaml',
      "Run 'contrail-gitops render' and commit the result.",
      '',
    ].join('\n'),
  );
  assert.equal(readFileSync(path.join(root, 'rendered/contrail/vnc.json'), 'utf8'), before);
  assert.ok(existsSync(path.join(root, 'rendered/cn2/shop.yaml')));

  const fixed = await run(root);
  assert.match(fixed.stdout, ': 3 files changed, 1 removed (rendered/)');
  assert.not.ok(existsSync(path.join(root, 'rendered/cn2/shop.yaml')));
});

test('invalid policies: the errors, a summary, exit 1 and nothing written', async ({ root }) => {
  writeFileSync(
    path.join(root, 'policies/shop/bad.yaml'),
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: bad\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: 70000\n',
  );
  const r = await run(root);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^policies\/shop\/bad\.yaml:9:\d+: error: spec\.ingress\[0\]\.ports\[0\]\.port: /m);
  assert.match(r.stderr, /invalid: 1 error in 1 file: nothing rendered\n$/);
  assert.equal(r.stdout, '');
  assert.not.ok(existsSync(path.join(root, 'rendered')));
});

test('--out and --cluster', async ({ root }) => {
  const r = await run(root, { out: 'out/contrail', cluster: 'prod' });
  assert.equal(r.code, 0);
  assert.match(r.stdout, '(out/contrail/)');
  const vnc = JSON.parse(readFileSync(path.join(root, 'out/contrail/contrail/vnc.json'), 'utf8'));
  assert.equal(vnc.cluster, 'prod');
  assert.ok(vnc.objects.some((o: { 'firewall-policy'?: { fq_name: string[] } }) => o['firewall-policy']?.fq_name[1] === 'prod-shop-db'));
});

test.run();
