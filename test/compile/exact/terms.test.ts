import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { absorb, Term } from '../../../src/compile/exact/terms.js';
import { Universe } from '../../../src/compile/exact/universe.js';
import type { LabelSelector, NetworkPolicy, PolicySet, Workload } from '../../../src/model/policy.js';
import { fakeOrigin } from '../../support/origin.js';

const origin = fakeOrigin();
const t = (...tags: string[]): Term => Term.of(tags.map((x) => x.split('=') as [string, string]))!;
const show = (x: Term | undefined): string => (x ? x.tagNames().join(' & ') || '(every pod)' : '(no pod)');

test('intersection ANDs tags; two values of one type select no pod', () => {
  assert.is(show(t('role=db', 'namespace=default').intersect(t('tier=x'))), 'role=db & tier=x & namespace=default');
  assert.is(show(t('role=db').intersect(t('role=web'))), '(no pod)');
  assert.is(show(t('role=db').intersect(t('role=db', 'namespace=a'))), 'role=db & namespace=a');
  assert.is(show(Term.EVERY_POD.intersect(t('app=a'))), 'app=a');
  assert.is(Term.of([['a', '1'], ['a', '2']]), undefined);
});

test('a term with fewer tags covers one with more; the empty term covers every term', () => {
  assert.ok(t('namespace=shop').covers(t('app=web', 'namespace=shop')));
  assert.not.ok(t('app=web', 'namespace=shop').covers(t('namespace=shop')));
  assert.not.ok(t('namespace=shop').covers(t('namespace=prod')));
  assert.ok(Term.EVERY_POD.covers(t('x=1')));
  assert.ok(t('a=1', 'c=3').covers(t('a=1', 'b=2', 'c=3')));
  assert.not.ok(t('a=1', 'c=3').covers(t('a=1', 'b=2', 'c=4')));
});

test('a union absorbs its supersets and duplicates', () => {
  const kept = absorb([t('app=a', 'namespace=x'), t('namespace=x'), t('app=b', 'namespace=y'), t('namespace=x')]);
  assert.equal(kept.map(show), ['app=b & namespace=y', 'namespace=x']);
  assert.equal(absorb([t('app=a'), Term.EVERY_POD]).map(show), ['(every pod)']);
});

test('endpoint tags list labels by type, then namespace (as CN2 does)', () => {
  assert.equal(t('namespace=default', 'role=db', 'app=x').tagNames(), ['app=x', 'role=db', 'namespace=default']);
});

const selector = (labels: [string, string][] = []): LabelSelector => ({ matchLabels: labels, matchExpressions: [], origin });
const workload = (namespace: string, name: string, labels: [string, string][]): Workload => ({ kind: 'Pod', name, namespace, labels, ports: [], origin });
const policy = (namespace: string, peerNs: [string, string][]): NetworkPolicy => ({
  name: 'p',
  namespace,
  podSelector: selector(),
  policyTypes: ['Ingress'],
  ingress: [{ peers: [{ namespaceSelector: selector(peerNs), index: 0, origin }], ports: [], index: 0, origin }],
  egress: [],
  origin,
});

function universe(): Universe {
  const ps: PolicySet = {
    namespaces: [
      { name: 'shop', labels: [['env', 'prod'], ['team', 'shop']], origin },
      { name: 'dev', labels: [['env', 'dev']], origin },
    ],
    policies: [policy('shop', [['project', 'p1']])],
    workloads: [workload('shop', 'web', [['app', 'web']]), workload('dev', 'api', [['App', 'api'], ['application', 'store']])],
  };
  return new Universe(ps, { cluster: 'k8s', podCIDR: '10.244.0.0/16' });
}

test("a pod in a known namespace carries the namespace's labels: terms asking otherwise select no pod", () => {
  const u = universe();
  assert.ok(u.possible(t('app=web', 'namespace=shop')));
  assert.not.ok(u.possible(t('env=dev', 'namespace=shop')), 'shop pods carry env=prod');
  assert.ok(u.possible(t('env=prod', 'namespace=shop')));
  assert.not.ok(u.possible(t('kubernetes.io__slash__metadata.name=dev', 'namespace=shop')), 'the name label Kubernetes adds');
  assert.is(show(u.intersect(t('namespace=shop'), t('team=shop'))), 'team=shop & namespace=shop');
  assert.is(u.intersect(t('namespace=dev'), t('env=prod')), undefined);
});

test('a key only namespace selectors use cannot come from a pod label: the namespaces without it have no such pod', () => {
  const u = universe();
  assert.ok(u.namespaceOnlyTypes.has('project'));
  assert.not.ok(u.possible(t('project=p1', 'namespace=shop')));
  assert.ok(u.possible(t('project=p1')), 'a namespace the repository does not list may carry it');
});

test('keys that pods carry, and keys that are one tag type', () => {
  const u = universe();
  assert.ok(u.spoofableTypes.has('app'));
  assert.ok(u.spoofableTypes.has('namespace'));
  assert.equal(u.collidingKeys('app'), ['App']);
  assert.equal(u.collidingKeys('env'), []);
});

test('every pod, as tags: the cluster application tag, and the application labels pods carry', () => {
  assert.equal(universe().everyPodTerms().map(show), ['application=k8s', 'application=store']);
});

test.run();
