import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { peer } from '../../src/validate/rules/peer.js';
import { check, FILE, policy } from './support.js';

test('a peer with one of podSelector, namespaceSelector, ipBlock is valid; selectors may combine', () => {
  const yaml = policy(`  podSelector: {}
  ingress:
  - from:
    - podSelector: {}
    - namespaceSelector: {matchLabels: {team: a}}
      podSelector: {}
    - ipBlock: {cidr: 10.0.0.0/8}
  egress:
  - to:
    - namespaceSelector: {}
`);
  assert.equal(check(yaml, [peer]), []);
});

test('an empty peer must specify a peer; `null` and `{}` alike', () => {
  const yaml = policy(`  podSelector: {}
  ingress:
  - from:
    - {}
    - podSelector:
  egress:
  - to:
    - null
`);
  assert.equal(check(yaml, [peer]), [
    `${FILE}:10:7: error: spec.ingress[0].from[0]: must specify a peer`,
    `${FILE}:11:7: error: spec.ingress[0].from[1]: must specify a peer`,
    `${FILE}:14:7: error: spec.egress[0].to[0]: must specify a peer`,
  ]);
});

test('ipBlock with a selector in the same peer is forbidden', () => {
  const yaml = policy(`  podSelector: {}
  egress:
  - to:
    - ipBlock: {cidr: 10.0.0.0/8}
      namespaceSelector: {}
`);
  assert.equal(check(yaml, [peer]), [`${FILE}:10:7: error: spec.egress[0].to[0]: may not specify both ipBlock and another peer`]);
});

test.run();
