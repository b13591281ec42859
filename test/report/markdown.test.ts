import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPORT_MARKER, renderReport, COMMENT_BUDGET } from '../../src/report/index.js';
import { codeFence, DETAILS, minimumMarkdownBytes, renderMarkdown } from '../../src/report/markdown.js';
import { ag, any, rule, snapshot, tags } from '../diff/build.js';
import { reportOf, tableCells, tables } from './build-report.js';

const db = tags('role=db', 'namespace=default');
const fe = tags('role=frontend', 'namespace=default');
const r0 = rule('default-ingress-web-0-podSelector-0-0', { ep1: fe, ep2: db, port: 6379 });
const deny = rule('default-ingress-web-denyall', { action: 'deny', ep1: any, ep2: db });

test('no change: the marker and one line', () => {
  const s = snapshot({ policies: { 'k8s-default-web': [r0, deny] } });
  const md = renderReport(reportOf(s, s), { format: 'markdown' });
  assert.is(md, `${REPORT_MARKER}\nNo change to the Contrail firewall configuration between origin/main \\(abc1234\\) and working tree.\n`);
});

test('a changed port: plan headline, Table 3 columns, old -> new in the changed cell', () => {
  const edited = rule(r0.name, { ep1: fe, ep2: db, port: 6380 });
  const added = rule('default-ingress-web-1-podSelector-0-0', { ep1: tags('role=api', 'namespace=default'), ep2: db, port: 8080 });
  const md = renderReport(
    reportOf(snapshot({ policies: { 'k8s-default-web': [r0, deny] } }), snapshot({ policies: { 'k8s-default-web': [edited, added, deny] } })),
    { format: 'markdown' },
  );
  assert.ok(md.startsWith(`${REPORT_MARKER}\n`));
  assert.match(md, '**Plan: 1 to add, 1 to change, 0 to destroy.**');
  const [table] = tables(md);
  assert.equal(tableCells(table[0]), ['Change', 'Rule Name', 'Action', 'Service', 'Endpoint1', 'Direction', 'Endpoint2', 'From']);
  const changed = table.find((r) => r.startsWith('| changed'))!;
  assert.is(tableCells(changed)[3], 'tcp&#58;6379 -> tcp&#58;6380');
  assert.ok(table.some((r) => r.startsWith('| added | default\\-ingress\\-web\\-1\\-podSelector\\-0\\-0 |')));
});

test('renames are listed apart from changes, collapsed', () => {
  const inserted = rule('default-ingress-web-0-podSelector-0-0', { ep1: tags('role=cache', 'namespace=default'), ep2: db, port: 11211 });
  const shifted = { ...r0, name: 'default-ingress-web-1-podSelector-0-0' };
  const md = renderReport(
    reportOf(snapshot({ policies: { fp: [r0, deny] } }), snapshot({ policies: { fp: [inserted, shifted, deny] } })),
    { format: 'markdown' },
  );
  assert.match(md, '**Plan: 1 to add, 0 to change, 0 to destroy.** 1 rule renamed, same behaviour; 1 rule re-sequenced, same order.');
  assert.match(md, '\n1 rule re-sequenced (same name, same order, same behaviour).\n');
  assert.match(md, '<details><summary>1 rule renamed, same behaviour</summary>');
  assert.match(md, '| default\\-ingress\\-web\\-0\\-podSelector\\-0\\-0 | default\\-ingress\\-web\\-1\\-podSelector\\-0\\-0 |');
  assert.not.match(md, '| changed');
});

test('the unified diff sits in a fence longer than any backtick run inside', () => {
  const edited = rule(r0.name, { ep1: fe, ep2: db, port: 6380 });
  const before = '| rule | tcp:6379 |\n';
  const after = '| rule | tcp:6380 |\n````` sneaky fence\n';
  const md = renderReport(reportOf(snapshot({ policies: { fp: [r0] } }), snapshot({ policies: { fp: [edited] } }), { rendered: [before, after] }), {
    format: 'markdown',
  });
  assert.match(md, '<details><summary>Unified diff of rendered/firewall\\-rules\\.md</summary>');
  assert.match(md, '\n``````diff\n--- a/rendered/firewall-rules.md\n+++ b/rendered/firewall-rules.md\n');
  assert.match(md, '\n+````` sneaky fence\n``````\n');
  assert.is(codeFence('no backticks'), '```');
  assert.is(codeFence('a ```` b'), '`````');
});

test('text from policies cannot inject Markdown, HTML or a mention', () => {
  const evil = '@octocat <script>alert(1)</script> | [x](javascript:alert(1)) ![i](http://e/i.png) **b** `c` @org/team';
  const r = rule(evil, { ep1: tags(`role=${evil}`), ep2: ag(evil), port: 80, policy: `default/${evil}`, file: `policies/${evil}.yaml` });
  const md = renderReport(
    reportOf(snapshot({ policies: {} }), snapshot({ policies: { [`k8s-${evil}`]: [r] }, addressGroups: { [evil]: ['0.0.0.0/0'] } }), {
      headDiagnostics: [{ file: `policies/${evil}.yaml`, line: 2, col: 3, severity: 'error', field: 'metadata.name', message: evil }],
      labels: [`@base <b>`, `head | @x`],
    }),
    { format: 'markdown' },
  );
  assert.not.match(md, /@(?!&)/, 'no raw @ anywhere');
  assert.not.match(md, /<script/i);
  assert.not.match(md, /<b>/);
  assert.not.match(md, /\]\(/, 'no link or image syntax');
  for (const t of tables(md)) {
    const width = tableCells(t[0]).length;
    for (const row of t) assert.is(tableCells(row).length, width, `row keeps its ${width} cells: ${row}`);
  }
  const allowed = new Set(['</details>', '</summary>', REPORT_MARKER, '<details>', '<summary>']);
  for (const tag of md.match(/<[a-z!/][^>]*>/gi) ?? []) assert.ok(allowed.has(tag), `only the report's own HTML: ${tag}`);
});

test('thousands of rules: shrinks in steps, stays under 65,536 characters, says what it cut', () => {
  const many = (port: number) =>
    Array.from({ length: 3000 }, (_, i) =>
      rule(`default-ingress-big-${i}-podSelector-0-0`, { ep1: tags(`app=client-${i}`, 'namespace=default'), ep2: db, port: port + (i % 7), policy: 'default/big' }),
    );
  const before = many(1000);
  const after = many(2000);
  const table = (rs: typeof before) => rs.map((r) => `| ${r.name} | ${r.service.dstPorts.start} |`).join('\n');
  const report = reportOf(snapshot({ policies: { 'k8s-default-big': before } }), snapshot({ policies: { 'k8s-default-big': after } }), {
    rendered: [table(before), table(after)],
  });
  assert.is(report.summary.rulesChanged, 3000);
  const md = renderReport(report, { format: 'markdown' });
  assert.ok(md.length <= COMMENT_BUDGET, `${md.length} characters`);
  assert.ok(md.startsWith(`${REPORT_MARKER}\n`));
  assert.match(md, 'This report is shortened to stay under 65,536 characters: the unified diff of the rendered firewall rules is left out; rule tables, flows and lists are reduced to counts.');
  assert.not.match(md, '| changed | default', 'no rule table');
  assert.match(md, 'contrail-gitops diff --format markdown --full');
  assert.match(md, '| k8s\\-default\\-big | changed | 0 | 3000 | 0 | 0 | 0 |');

  const full = renderReport(report, { format: 'markdown', full: true });
  assert.ok(Buffer.byteLength(full) <= 1024 * 1024);
  assert.ok(full.length > COMMENT_BUDGET, 'the full report keeps the tables');
  assert.not.match(full, 'shortened');

  const tiny = renderReport(report, { format: 'markdown', budget: 700, fullReportLocation: 'the file report.md' });
  assert.ok(tiny.length <= 700, tiny);
  assert.match(tiny, 'only the headline and the risk flags are kept. Where to read all of it: the file report.md.');
});

test('levels are skipped undrawn only when their rows alone are over the budget: the bound never exceeds the drawn size', () => {
  const rules = (port: number) =>
    Array.from({ length: 500 }, (_, i) => rule(`default-ingress-big-${i}-podSelector-0-0`, { ep1: tags(`app=c-${i}`, 'namespace=default'), ep2: db, port, policy: 'default/big' }));
  const report = reportOf(snapshot({ policies: { 'k8s-default-big': rules(1000) } }), snapshot({ policies: { 'k8s-default-big': rules(2000) } }));
  for (const detail of DETAILS) {
    const drawn = Buffer.byteLength(renderMarkdown(report, { detail }));
    assert.ok(minimumMarkdownBytes(report, detail) <= drawn, `${detail}: bound ${minimumMarkdownBytes(report, detail)} > drawn ${drawn}`);
  }
  assert.ok(minimumMarkdownBytes(report, 'full') >= 500 * 6, 'one row per changed rule');
  // A budget between the bound and the drawn size: the level is drawn, found too long, and cut as before.
  const budget = minimumMarkdownBytes(report, 'full') + 10;
  const md = renderReport(report, { format: 'markdown', budget });
  assert.ok(Buffer.byteLength(md) <= budget);
  assert.match(md, 'rule tables, flows and lists are reduced to counts');
});

test('risk flags are cut to fit last, saying how many are left out', () => {
  const opens = Array.from({ length: 400 }, (_, i) => rule(`open-${i}`, { ep1: any, ep2: tags(`app=a${i}`), port: 443 }));
  const report = reportOf(snapshot({ policies: {} }), snapshot({ policies: { fp: opens } }));
  assert.is(report.risks.length, 400);
  const md = renderReport(report, { format: 'markdown', budget: 8000 });
  assert.ok(md.length <= 8000);
  assert.match(md, /- … and \d+ more risk flags \(see the whole report\)/);
  assert.match(md, '### Risks (400)');
});

test.run();
