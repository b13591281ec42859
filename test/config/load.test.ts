import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/load.js';
import { formatDiagnostic, UserError } from '../../src/diagnostics.js';

function repoWith(config?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-config-'));
  if (config !== undefined) writeFileSync(path.join(dir, 'contrail-gitops.yaml'), config);
  return dir;
}

async function errorsOf(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, UserError);
    const u = e as UserError;
    return u.diagnostics.length ? u.diagnostics.map(formatDiagnostic) : [u.message];
  }
  throw new Error('expected an error');
}

test('defaults without a configuration file', async () => {
  const root = repoWith();
  const c = await loadConfig(root);
  assert.equal(
    { ...c, root: '' },
    {
      root: '',
      policies: 'policies',
      output: 'rendered',
      mode: 'cn2',
      cluster: 'k8s',
      cn2ApiVersion: 'core.contrail.juniper.net/v1alpha1',
      podCIDR: '10.244.0.0/16',
      inventoryComplete: false,
    },
  );
  assert.is(c.root, path.resolve(root));
});

test('the file sets values and flags override them', async () => {
  const root = repoWith('policies: netpol\nmode: exact\ncluster: prod-east\n');
  const c = await loadConfig(root, { cluster: 'staging', output: undefined });
  assert.is(c.policies, 'netpol');
  assert.is(c.mode, 'exact');
  assert.is(c.cluster, 'staging');
  assert.is(c.output, 'rendered');
});

test('an unknown key is an error with its line, listing the known ones', async () => {
  const errs = await errorsOf(loadConfig(repoWith('mode: cn2\nclustr: prod\n')));
  assert.equal(errs, [
    'contrail-gitops.yaml:2:1: error: clustr: unknown setting; known settings: policies, output, mode, cluster, cn2ApiVersion, podCIDR, inventoryComplete',
  ]);
});

test('bad values are errors naming the setting and what it takes', async () => {
  const errs = await errorsOf(loadConfig(repoWith('mode: strict\npodCIDR: 10.244.0.0\noutput: ../elsewhere\ninventoryComplete: "yes"\n')));
  assert.equal(errs, [
    'contrail-gitops.yaml:1:7: error: mode: must be "cn2" (what CN2 creates) or "exact" (what Kubernetes specifies)',
    'contrail-gitops.yaml:2:10: error: podCIDR: must be a CIDR such as "10.244.0.0/16"',
    'contrail-gitops.yaml:3:9: error: output: must be a folder inside the repository (relative, without "..")',
    'contrail-gitops.yaml:4:20: error: inventoryComplete: must be true or false',
  ]);
});

test('a bad flag value is an error naming the flag', async () => {
  const errs = await errorsOf(loadConfig(repoWith(), { mode: 'fast' as 'cn2' }));
  assert.equal(errs, ['--mode: must be "cn2" (what CN2 creates) or "exact" (what Kubernetes specifies)']);
});

test('a configuration file that is not a mapping, or not YAML, is an error', async () => {
  assert.equal(await errorsOf(loadConfig(repoWith('- policies\n'))), [
    'contrail-gitops.yaml:1:1: error: must be a mapping of settings (policies, output, mode, cluster, cn2ApiVersion, podCIDR, inventoryComplete)',
  ]);
  const [msg] = await errorsOf(loadConfig(repoWith('mode: [cn2\n')));
  assert.match(msg, /^contrail-gitops.yaml: error: not valid YAML: /);
});

test('podCIDR takes IPv4 and IPv6 CIDRs, checked as the validator checks ipBlocks', async () => {
  assert.is((await loadConfig(repoWith('podCIDR: fd00:10::/64\n'))).podCIDR, 'fd00:10::/64');
  const errs = await errorsOf(loadConfig(repoWith('podCIDR: 300.1.0.0/16\n')));
  assert.equal(errs, ['contrail-gitops.yaml:1:10: error: podCIDR: must be a CIDR such as "10.244.0.0/16"']);
});

test('an empty configuration file means the defaults', async () => {
  const c = await loadConfig(repoWith('# nothing set\n'));
  assert.is(c.mode, 'cn2');
});

test.run();
