/**
 * End to end on real git repositories: commits in a temp folder, diffRevisions over them (front
 * end, compiler, renderer, simulator, report), and the rendered comment.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/load.js';
import { UserError } from '../../src/diagnostics.js';
import { diffRevisions } from '../../src/diff/revisions.js';
import type { DiffReport } from '../../src/diff/types.js';
import { COMMENT_BUDGET, REPORT_MARKER, renderReport } from '../../src/report/index.js';
import { git, type TestRepo, withRepo } from '../support/git-fixture.js';
import { tableCells, tables } from '../report/build-report.js';
import { deployments } from './build.js';

const WORKLOADS = deployments('db', 'frontend', 'api', 'cache');

interface Ingress {
  /** YAML of one peer, or of several. */
  from: string | string[];
  port: number;
  port2?: number;
}

/** A NetworkPolicy selecting `role: db`, one ingress rule per entry (`from` is YAML for one peer). */
function dbPolicy(name: string, ingress: Ingress[], extra = ''): string {
  const rules = ingress
    .map((r) => {
      const peers = (Array.isArray(r.from) ? r.from : [r.from]).map((p) => `    - ${p}\n`).join('');
      const ports = [r.port, ...(r.port2 ? [r.port2] : [])].map((p) => `    - protocol: TCP\n      port: ${p}\n`).join('');
      return `  - from:\n${peers}    ports:\n${ports}`;
    })
    .join('');
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  ingress:
${rules}${extra}`;
}

const fromRole = (role: string) => `podSelector: {matchLabels: {role: ${role}}}`;

async function diffOf(repo: TestRepo, base: string, head?: string): Promise<DiffReport> {
  const config = await loadConfig(repo.root);
  const result = await diffRevisions({ root: repo.root, base, ...(head ? { head } : {}), config });
  assert.equal(result.counts.rulesAdded, result.report.summary.rulesAdded);
  return result.report;
}

const kinds = (r: DiffReport) => r.firewallPolicies.flatMap((fp) => fp.rules.map((c) => `${c.kind} ${c.kind === 'removed' ? c.base.name : c.head.name}`));

test('no change: the one-line comment, with the marker', async () => {
  await withRepo(async (repo) => {
    const base = repo.commit('base', { 'policies/db.yaml': dbPolicy('db', [{ from: fromRole('frontend'), port: 6379 }]), 'policies/w.yaml': WORKLOADS });
    const report = await diffOf(repo, base);
    assert.ok(report.summary.noChange);
    assert.is(
      renderReport(report, { format: 'markdown' }),
      `${REPORT_MARKER}\nNo change to the Contrail firewall configuration between ${base.slice(0, 12)} and working tree.\n`,
    );
  });
});

test('rule added, removed, changed: counts, fields, flows traced to the file and line', async () => {
  await withRepo(async (repo) => {
    const base = repo.commit('base', {
      'policies/db.yaml': dbPolicy('db', [
        { from: fromRole('frontend'), port: 6379 },
        { from: [fromRole('api'), fromRole('cache')], port: 5432 },
      ]),
      'policies/w.yaml': WORKLOADS,
    });
    // rule 0: port changed; rule 1: peer `cache` removed; rule 2: new.
    const head = repo.commit('head', {
      'policies/db.yaml': dbPolicy('db', [
        { from: fromRole('frontend'), port: 6380 },
        { from: fromRole('api'), port: 5432 },
        { from: fromRole('frontend'), port: 11211 },
      ]),
    });
    const report = await diffOf(repo, base, head);
    const s = report.summary;
    assert.equal([s.rulesAdded, s.rulesChanged, s.rulesRemoved], [1, 1, 1]);
    assert.equal(kinds(report), [
      'changed default-ingress-db-0-podSelector-0-0',
      'removed default-ingress-db-1-podSelector-1-0',
      'added default-ingress-db-2-podSelector-0-0',
    ]);
    const [changed] = report.firewallPolicies[0].rules;
    assert.ok(changed.kind === 'changed' && changed.fields.join() === 'service');
    const flows = (list: DiffReport['connectivity']['opened']) =>
      list.map((f) => `${f.from.kind === 'pods' ? `${f.from.namespace}/${f.from.group}` : f.from.cidr} -> ${f.to.kind === 'pods' ? f.to.group : ''} ${f.ports.join(',')}`);
    assert.equal(flows(report.connectivity.opened), ['default/frontend -> db tcp:11211', 'default/frontend -> db tcp:6380']);
    assert.equal(flows(report.connectivity.closed), ['default/cache -> db tcp:5432', 'default/frontend -> db tcp:6379']);
    const opened = report.connectivity.opened[0];
    assert.is(opened.head.rule, 'default-ingress-db-2-podSelector-0-0');
    assert.is(opened.head.firewallPolicy, 'k8s-default-db');
    assert.equal(opened.head.origin && { file: opened.head.origin.file, line: opened.head.origin.line }, { file: 'policies/db.yaml', line: 22 });
    assert.equal(opened.kubernetes, { base: false, head: true });
    const closed = report.connectivity.closed[0];
    assert.is(closed.head.rule, 'default-ingress-db-denyall');

    const md = renderReport(report, { format: 'markdown' });
    assert.match(md, '**Plan: 1 to add, 1 to change, 1 to destroy.** Flows: 2 opened, 2 closed.');
    assert.match(md, '```mermaid\nflowchart LR\n');
    assert.match(md, '| opened | default/frontend | default/db | tcp&#58;11211 | default\\-ingress\\-db\\-2\\-podSelector\\-0\\-0 \\(k8s\\-default\\-db, at the receiver\\) | default/db policies/db\\.yaml&#58;22 | denied -> allowed |');
  });
});

test('a rule inserted in front: the others are renamed (same behaviour), only the new one changes flows', async () => {
  await withRepo(async (repo) => {
    const base = repo.commit('base', {
      'policies/db.yaml': dbPolicy('db', [
        { from: fromRole('frontend'), port: 6379 },
        { from: fromRole('api'), port: 6379 },
      ]),
      'policies/w.yaml': WORKLOADS,
    });
    repo.write({
      'policies/db.yaml': dbPolicy('db', [
        { from: fromRole('cache'), port: 6379 },
        { from: fromRole('frontend'), port: 6379 },
        { from: fromRole('api'), port: 6379 },
      ]),
    });
    const report = await diffOf(repo, base);
    assert.equal(kinds(report), ['added default-ingress-db-0-podSelector-0-0']);
    const fp = report.firewallPolicies[0];
    assert.equal(
      fp.renamed.map((r) => `${r.base} -> ${r.head}`),
      ['default-ingress-db-0-podSelector-0-0 -> default-ingress-db-1-podSelector-0-0', 'default-ingress-db-1-podSelector-0-0 -> default-ingress-db-2-podSelector-0-0'],
    );
    assert.equal(fp.moved, []);
    assert.is(report.summary.rulesChanged, 0);
    assert.equal(report.connectivity.opened.map((f) => (f.from.kind === 'pods' ? f.from.group : '')), ['cache']);
    assert.equal(report.connectivity.closed, []);
    const md = renderReport(report, { format: 'markdown' });
    assert.match(md, '**Plan: 1 to add, 0 to change, 0 to destroy.** 2 rules renamed, same behaviour; flows: 1 opened, 0 closed.');
  });
});

test('swapped rules: renames and a move that changes no flow', async () => {
  await withRepo(async (repo) => {
    const base = repo.commit('base', {
      'policies/db.yaml': dbPolicy('db', [
        { from: fromRole('frontend'), port: 6379 },
        { from: fromRole('api'), port: 5432 },
      ]),
      'policies/w.yaml': WORKLOADS,
    });
    repo.write({
      'policies/db.yaml': dbPolicy('db', [
        { from: fromRole('api'), port: 5432 },
        { from: fromRole('frontend'), port: 6379 },
      ]),
    });
    const report = await diffOf(repo, base);
    const fp = report.firewallPolicies[0];
    assert.equal(fp.rules, []);
    assert.is(fp.renamed.length, 2);
    assert.is(fp.moved.length, 1);
    assert.is(fp.orderChangesBehaviour, false);
    assert.equal([report.connectivity.opened, report.connectivity.closed], [[], []]);
    assert.match(renderReport(report, { format: 'markdown' }), 'Effect: no flow changes (first match gives the same verdicts).');
  });
});

test('peers swapped around an except: the order change shadows a pass, and the report says so', async () => {
  await withRepo(async (repo) => {
    // Pods live in 172.17.1.0/24, the except range: the except's deny rule matches them too.
    const config = 'podCIDR: 172.17.1.0/24\n';
    const ipBlock = 'ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}';
    const policy = (peers: string[]) =>
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: default}
spec:
  podSelector: {matchLabels: {role: db}}
  ingress:
  - from:
${peers.map((p) => `    - ${p}\n`).join('')}    ports:
    - {protocol: TCP, port: 6379}
`;
    const base = repo.commit('base', {
      'contrail-gitops.yaml': config,
      'policies/db.yaml': policy([fromRole('frontend'), ipBlock]),
      'policies/w.yaml': WORKLOADS,
    });
    repo.write({ 'policies/db.yaml': policy([ipBlock, fromRole('frontend')]) });
    const report = await diffOf(repo, base);
    const fp = report.firewallPolicies[0];
    assert.equal(fp.rules, [], 'no rule added, removed or changed');
    assert.ok(fp.moved.length > 0);
    assert.is(fp.orderChangesBehaviour, true);
    assert.equal(
      report.connectivity.closed.map((f) => `${f.from.kind === 'pods' ? f.from.group : f.from.cidr} ${f.ports.join()} ${f.head.rule}`),
      ['frontend tcp:6379 default-ingress-db-0-ipBlock-0-172.17.1.0/24-0'],
    );
  });
});

test('an ipBlock cidr edit: address groups swap, the rule changes, egress outside the cluster is flagged', async () => {
  await withRepo(async (repo) => {
    const egress = (cidr: string) => `  egress:\n  - to:\n    - ipBlock: {cidr: ${cidr}}\n    ports:\n    - {protocol: TCP, port: 5978}\n`;
    const withEgress = (cidr: string) =>
      `${dbPolicy('db', [{ from: fromRole('frontend'), port: 6379 }])}${egress(cidr)}`.replace('spec:\n', 'spec:\n  policyTypes: [Ingress, Egress]\n');
    const base = repo.commit('base', { 'policies/db.yaml': withEgress('10.0.0.0/24'), 'policies/w.yaml': WORKLOADS });
    repo.write({ 'policies/db.yaml': withEgress('10.0.0.0/16') });
    const report = await diffOf(repo, base);
    assert.equal(report.addressGroups.added.map((g) => `${g.name} ${g.prefixes}`), ['10.0.0.0/16 10.0.0.0/16']);
    assert.equal(report.addressGroups.removed.map((g) => g.name), ['10.0.0.0/24']);
    const changed = report.firewallPolicies[0].rules;
    assert.equal(
      changed.map((c) => (c.kind === 'changed' ? c.fields.join() : c.kind)),
      ['name,endpoint2'],
    );
    assert.equal(report.risks.map((r) => r.kind), ['egress-outside-cluster']);
    assert.ok(report.connectivity.opened.some((f) => f.to.kind === 'addresses' && f.to.cidr.startsWith('10.0.0.0/16')));
  });
});

test('a NetworkPolicy deleted: its deny-all rules are removed and flagged', async () => {
  await withRepo(async (repo) => {
    const base = repo.commit('base', { 'policies/db.yaml': dbPolicy('db', [{ from: fromRole('frontend'), port: 6379 }]), 'policies/w.yaml': WORKLOADS });
    repo.write({ 'policies/db.yaml': null });
    const report = await diffOf(repo, base);
    assert.equal(report.firewallPolicies.map((f) => `${f.name} ${f.status}`), ['k8s-default-db removed', 'k8s-denyall changed']);
    assert.equal(report.risks.map((r) => `${r.kind} ${r.rule}`), ['deny-removed default-ingress-db-denyall']);
    assert.ok(report.connectivity.opened.length > 0, 'db is open to everyone again');
  });
});

test('a policy that now selects more pods is flagged, with the pods', async () => {
  await withRepo(async (repo) => {
    const base = repo.commit('base', { 'policies/db.yaml': dbPolicy('db', [{ from: fromRole('frontend'), port: 6379 }]), 'policies/w.yaml': WORKLOADS });
    repo.write({ 'policies/db.yaml': dbPolicy('db', [{ from: fromRole('frontend'), port: 6379 }]).replace('    matchLabels:\n      role: db\n', '    {}\n') });
    const report = await diffOf(repo, base);
    const widened = report.risks.filter((r) => r.kind === 'selector-widened').map((r) => r.message);
    assert.ok(
      widened.includes('NetworkPolicy default/db now selects 3 more pods (1 before, 4 now): default/api, default/cache, default/frontend'),
      widened.join('\n'),
    );
    const flag = report.risks.find((r) => r.message.startsWith('NetworkPolicy default/db'))!;
    assert.equal(flag.origin, { file: 'policies/db.yaml', line: 8, col: 5 });
  });
});

test('a base without the policies folder is the empty repository', async () => {
  await withRepo(async (repo) => {
    const base = repo.commit('empty', { 'README.md': 'hi\n' });
    repo.write({ 'policies/db.yaml': dbPolicy('db', [{ from: fromRole('frontend'), port: 6379 }]), 'policies/w.yaml': WORKLOADS });
    const report = await diffOf(repo, base);
    assert.equal(report.problems, []);
    assert.ok(report.summary.rulesAdded > 0);
    assert.equal(report.firewallPolicies.find((f) => f.name === 'k8s-default-db')?.status, 'added');
  });
});

test('stale rendered files on the base are reported', async () => {
  await withRepo(async (repo) => {
    const base = repo.commit('base', {
      'policies/db.yaml': dbPolicy('db', [{ from: fromRole('frontend'), port: 6379 }]),
      'policies/w.yaml': WORKLOADS,
      'rendered/firewall-rules.md': 'hand-edited\n',
    });
    repo.write({ 'policies/db.yaml': dbPolicy('db', [{ from: fromRole('frontend'), port: 6380 }]) });
    const report = await diffOf(repo, base);
    assert.ok(report.staleArtifacts);
    assert.equal(report.staleArtifacts!.changed, ['firewall-rules.md']);
    assert.ok(report.staleArtifacts!.missing.includes('contrail/vnc.json'));
    assert.match(renderReport(report, { format: 'markdown' }), '### Stale rendered files on the base');
  });
});

test('shallow clone: the base present works; the base missing says exactly what to fetch', async () => {
  await withRepo(async (repo) => {
    const base = repo.commit('base', { 'policies/db.yaml': dbPolicy('db', [{ from: fromRole('frontend'), port: 6379 }]), 'policies/w.yaml': WORKLOADS });
    const head = repo.commit('head', { 'policies/db.yaml': dbPolicy('db', [{ from: fromRole('frontend'), port: 6380 }]) });
    const clone = repo.shallowClone();
    try {
      const config = await loadConfig(clone.root);
      try {
        await diffRevisions({ root: clone.root, base, config });
        assert.unreachable('the base is not in the clone');
      } catch (e) {
        assert.instance(e, UserError);
        assert.is((e as Error).message, `${base}: commit not found (this is a shallow clone and it does not hold it). Fetch it first: git fetch --depth=1 origin ${base}`);
      }
      git(clone.root, 'fetch', '-q', '--depth=1', 'origin', base);
      const result = await diffRevisions({ root: clone.root, base, head, config });
      assert.is(result.counts.rulesChanged, 1);
      assert.match(result.counts.snapshotSha256 ?? '', /^[0-9a-f]{64}$/);
    } finally {
      clone.remove();
    }
  });
});

test('thousands of rules changed: the comment stays under 65,536 characters and says what it cut', async () => {
  await withRepo(async (repo) => {
    // 50 policies x 20 ingress rules x 2 ports: 2,000 firewall rules whose ports all change.
    const many = (port: number) =>
      Array.from({ length: 50 }, (_, k) =>
        dbPolicy(
          `db-${k}`,
          Array.from({ length: 20 }, (_, i) => ({ from: `podSelector: {matchLabels: {app: client-${i}}}`, port, port2: port + 1000 })),
        ),
      ).join('---\n');
    const base = repo.commit('base', { 'policies/db.yaml': many(6379), 'policies/w.yaml': WORKLOADS });
    repo.write({ 'policies/db.yaml': many(6380) });
    const report = await diffOf(repo, base);
    assert.is(report.summary.rulesChanged, 2000);
    const md = renderReport(report, { format: 'markdown' });
    assert.ok(md.length <= COMMENT_BUDGET, `${md.length}`);
    assert.match(md, /This report is shortened to stay under 65,536 characters: the unified diff of the rendered firewall rules is left out; rule tables, flows and lists are reduced to counts\./);
    assert.match(md, '**Plan: 0 to add, 2000 to change, 0 to destroy.**');
    assert.match(md, '| k8s\\-default\\-db\\-7 | changed | 0 | 40 | 0 | 0 | 0 |');
  });
});

test('a name crafted to inject Markdown, HTML and a mention is escaped everywhere', async () => {
  await withRepo(async (repo) => {
    const base = repo.commit('base', { 'policies/db.yaml': dbPolicy('db', [{ from: fromRole('frontend'), port: 6379 }]), 'policies/w.yaml': WORKLOADS });
    const evil = '@octocat <script>alert(1)</script> | **x** [l](javascript:1)';
    repo.write({
      [`policies/@team <img src=x> |.yaml`]: dbPolicy(JSON.stringify(evil), [{ from: fromRole('api'), port: 1 }]),
    });
    const report = await diffOf(repo, base);
    assert.ok(report.summary.headErrors > 0);
    const md = renderReport(report, { format: 'markdown' });
    assert.not.match(md, /@(octocat|team)/);
    assert.not.match(md, /<script|<img/i);
    assert.not.match(md, /\]\(/);
    for (const t of tables(md)) {
      const width = tableCells(t[0]).length;
      for (const row of t) assert.is(tableCells(row).length, width, row);
    }
    assert.match(md, '&#64;octocat &lt;script&gt;');
  });
});

test.run();
