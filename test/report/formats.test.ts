import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FlowChange } from '../../src/diff/types.js';
import { countsOf, renderReport } from '../../src/report/index.js';
import { mermaidFlowchart, mermaidLabel } from '../../src/report/mermaid.js';
import { plain } from '../../src/report/text.js';
import { any, rule, snapshot, tags } from '../diff/build.js';
import { reportOf } from './build-report.js';

const db = tags('role=db', 'namespace=default');
const r0 = rule('default-ingress-web-0-podSelector-0-0', { ep1: tags('role=frontend', 'namespace=default'), ep2: db, port: 6379 });
const edited = rule(r0.name, { ep1: tags('role=frontend', 'namespace=default'), ep2: db, port: 6380 });
const deny = rule('default-ingress-web-denyall', { action: 'deny', ep1: any, ep2: db });
const report = reportOf(snapshot({ policies: { fp: [r0, deny] } }), snapshot({ policies: { fp: [edited] } }));

test('text: plain without colour, the same facts as the comment', () => {
  const text = renderReport(report, { format: 'text', color: false });
  assert.not.match(text, '\u001b[');
  assert.is(
    text,
    [
      'Contrail firewall changes: working tree compared with origin/main (abc1234) (mode cn2, cluster k8s)',
      'Plan: 0 to add, 1 to change, 1 to destroy.',
      '',
      'Risks (1)',
      '  deny removed: Deny rule default-ingress-web-denyall is removed: any > role=db && namespace=default (any) (policies/web.yaml:1)',
      '',
      'Firewall rules',
      '  fp: changed',
      '    ~ default-ingress-web-0-podSelector-0-0',
      '        Service: tcp:6379 -> tcp:6380',
      '    - default-ingress-web-denyall  deny  any  any  >  role=db && namespace=default',
      '',
      'Connectivity',
      '  not simulated: not asked in this test',
      '',
    ].join('\n'),
  );
});

test('text: ANSI colours when asked; control characters from policies are made visible', () => {
  const text = renderReport(report, { format: 'text', color: true });
  assert.match(text, '\u001b[1mPlan: 0 to add, 1 to change, 1 to destroy.\u001b[0m');
  assert.match(text, '\u001b[31mtcp:6379\u001b[0m -> \u001b[32mtcp:6380\u001b[0m');
  assert.is(plain('evil\u001b[2Jname\r\n'), 'evil\\x1b[2Jname\\x0d\\x0a');
});

test('json: the report as data, parseable, with the counts the action publishes', () => {
  const json = renderReport({ report, counts: countsOf(report) }, { format: 'json' });
  const parsed = JSON.parse(json);
  assert.is(parsed.kind, 'ContrailDiffReport');
  assert.is(parsed.version, 1);
  assert.equal(parsed, JSON.parse(JSON.stringify(report)));
  assert.equal(parsed.firewallPolicies[0].rules[0].fields, ['service']);
  assert.equal(countsOf(report), { rulesAdded: 0, rulesRemoved: 1, rulesChanged: 1, flowsOpened: 0, flowsClosed: 0, snapshotSha256: null });
});

const flow = (from: string, to: string, ports: string[]): FlowChange => ({
  from: { kind: 'pods', namespace: 'default', group: from },
  to: to.includes('/') && /\d/.test(to) ? { kind: 'addresses', cidr: to } : { kind: 'pods', namespace: 'default', group: to },
  ports,
  head: { allowed: true },
  base: { allowed: false },
  kubernetes: { base: false, head: true },
});

test('mermaid: generated node ids, escaped labels, opened and closed edges styled apart', () => {
  const chart = mermaidFlowchart(
    [flow('frontend', 'db', ['tcp:6379'])],
    [flow('x"] --> evil[@team <b>', '10.0.0.0/24', ['tcp:80', 'udp:53'])],
  );
  assert.is(
    chart,
    [
      '```mermaid',
      'flowchart LR',
      '  n0["10.0.0.0/24"]',
      '  n1["default/db"]',
      '  n2["default/frontend"]',
      '  n3["default/x#34;#93; --#62; evil#91;#64;team #60;b#62;"]',
      '  n2 -->|"opened tcp:6379"| n1',
      '  n3 -.->|"closed tcp:80, udp:53"| n0',
      '  linkStyle 0 stroke:#1a7f37,stroke-width:2px,color:#1a7f37',
      '  linkStyle 1 stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5,color:#cf222e',
      '```',
    ].join('\n'),
  );
  assert.is(mermaidLabel('a|b`c'), 'a#124;b#96;c');
});

test.run();
