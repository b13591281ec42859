/**
 * The diff's stale-artifact check on a base whose rendered/ carries the render's freshness stamp:
 * real repositories, rendered by the render action's writer, committed, and diffed. The stamp may
 * only spare the base's full render when that render would find nothing stale; in every other case
 * the diff compares in full, as it did before stamps.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderFolder } from '../../src/actions/render-folder.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { diffRevisions, type RevisionsDiff } from '../../src/diff/revisions.js';
import { renderReport } from '../../src/report/index.js';
import { MANIFEST } from '../../src/render/write.js';
import { type TestRepo, withRepo } from '../support/git-fixture.js';
import { deployments } from './build.js';

const dbPolicy = (port: number, from = 'frontend') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: default}
spec:
  podSelector: {matchLabels: {role: db}}
  ingress:
  - from:
    - podSelector: {matchLabels: {role: ${from}}}
    ports:
    - {protocol: TCP, port: ${port}}
`;

const POLICIES = { 'policies/db.yaml': dbPolicy(6379), 'policies/w.yaml': deployments('db', 'frontend', 'api') };
const MANIFEST_PATH = `rendered/${MANIFEST}`;

/** Commits the policies, renders them as the render action does and commits rendered/; returns that commit. */
async function renderedBase(repo: TestRepo, config?: Config): Promise<string> {
  repo.commit('policies', POLICIES);
  await renderFolder(config ?? (await loadConfig(repo.root)));
  return repo.commit('render');
}

async function diff(repo: TestRepo, base: string, config?: Config): Promise<RevisionsDiff> {
  return diffRevisions({ root: repo.root, base, config: config ?? (await loadConfig(repo.root)) });
}

/** The report as JSON and Markdown, with the base's label (its sha) made neutral, to compare two bases. */
const shown = (r: RevisionsDiff, base: string): string =>
  (renderReport(r, { format: 'json' }) + renderReport(r, { format: 'markdown', full: true })).split(base.slice(0, 12)).join('<base>');

const readManifest = (repo: TestRepo): string => readFileSync(path.join(repo.root, MANIFEST_PATH), 'utf8');

test('a base rendered and committed as is: stamped fresh, not rendered in full, the same report as the full comparison of an unstamped manifest', async () => {
  await withRepo(async (repo) => {
    const stamped = await renderedBase(repo);
    const manifest = readManifest(repo);
    assert.match(manifest, /^# inputs: sha256:[0-9a-f]{64}\n# outputs: sha256:[0-9a-f]{64}\n/m);
    // The same folder as an older version wrote it: the manifest without its stamp lines.
    const unstamped = repo.commit('manifest without stamp', { [MANIFEST_PATH]: manifest.replace(/^# (inputs|outputs): .*\n/gm, '') });
    repo.write({ 'policies/db.yaml': dbPolicy(6380, 'api') });

    const quick = await diff(repo, stamped);
    assert.is(quick.baseOutputCheck, 'stamp');
    assert.is(quick.report.staleArtifacts, null);
    assert.is(quick.counts.rulesChanged, 1);
    assert.ok(quick.report.renderedDiff?.patch, 'the rule table diff still comes from a render of the base');

    const full = await diff(repo, unstamped);
    assert.is(full.baseOutputCheck, 'rendered');
    assert.is(full.report.staleArtifacts, null);
    assert.is(shown(quick, stamped), shown(full, unstamped));
  });
});

test('a hand-edited or deleted rendered file in a stamped base: compared in full and reported stale', async () => {
  await withRepo(async (repo) => {
    await renderedBase(repo);
    const rules = path.join(repo.root, 'rendered/firewall-rules.md');
    writeFileSync(rules, `${readFileSync(rules, 'utf8')}\nhand-written note\n`);
    const base = repo.commit('edit rendered', { 'rendered/cn2/_global.yaml': null });
    const r = await diff(repo, base);
    assert.is(r.baseOutputCheck, 'rendered');
    assert.equal(r.report.staleArtifacts, { dir: 'rendered', changed: ['firewall-rules.md'], missing: ['cn2/_global.yaml'], extra: [] });
    assert.match(renderReport(r, { format: 'markdown' }), '### Stale rendered files on the base');
  });
});

test('policies changed after the render, never re-rendered: compared in full and reported stale', async () => {
  await withRepo(async (repo) => {
    await renderedBase(repo);
    const base = repo.commit('policy change without a render', { 'policies/db.yaml': dbPolicy(6380) });
    const r = await diff(repo, base);
    assert.is(r.baseOutputCheck, 'rendered');
    assert.ok(r.report.staleArtifacts?.changed.includes('firewall-rules.md'), JSON.stringify(r.report.staleArtifacts));
  });
});

test('a policy file the render read but the commit left out (untracked): compared in full', async () => {
  await withRepo(async (repo) => {
    repo.commit('policies', POLICIES);
    writeFileSync(path.join(repo.root, '.gitignore'), 'policies/local.yaml\n');
    writeFileSync(path.join(repo.root, 'policies/local.yaml'), dbPolicy(7000, 'api').replace('name: db,', 'name: local,'));
    await renderFolder(await loadConfig(repo.root));
    const base = repo.commit('render');
    const r = await diff(repo, base);
    assert.is(r.baseOutputCheck, 'rendered');
    assert.ok(r.report.staleArtifacts?.changed.includes('firewall-rules.md'), JSON.stringify(r.report.staleArtifacts));
  });
});

test('a configuration that changed since the render (cluster, mode): compared in full', async () => {
  await withRepo(async (repo) => {
    const base = await renderedBase(repo);
    const config = await loadConfig(repo.root);
    const cluster = await diff(repo, base, { ...config, cluster: 'prod' });
    assert.is(cluster.baseOutputCheck, 'rendered');
    assert.ok(cluster.report.staleArtifacts?.changed.includes('contrail/vnc.json'), JSON.stringify(cluster.report.staleArtifacts));
    const mode = await diff(repo, base, { ...config, mode: 'exact' });
    assert.is(mode.baseOutputCheck, 'rendered');
  });
});

test('a base rendered with a non-default configuration is fresh for that configuration', async () => {
  await withRepo(async (repo) => {
    writeFileSync(path.join(repo.root, 'contrail-gitops.yaml'), 'cluster: prod\n');
    const base = await renderedBase(repo);
    const r = await diff(repo, base);
    assert.is(r.baseOutputCheck, 'stamp');
    assert.is(r.report.staleArtifacts, null);
  });
});

test('a base without an output folder: nothing to check', async () => {
  await withRepo(async (repo) => {
    const base = repo.commit('policies', POLICIES);
    assert.is((await diff(repo, base)).baseOutputCheck, 'none');
  });
});

test.run();
