/** Which objects are kept: kinds and API versions. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALL_RULES } from '../../src/validate/rules/index.js';
import { check, FILE } from './support.js';

test('every kept kind at its served API version is valid', () => {
  const docs = [
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a}\nspec: {podSelector: {}}\n',
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n',
    ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].map((k) => `apiVersion: apps/v1\nkind: ${k}\nmetadata: {name: a}\n`),
    ...['Job', 'CronJob'].map((k) => `apiVersion: batch/v1\nkind: ${k}\nmetadata: {name: a}\n`),
  ];
  assert.equal(check(docs.join('---\n'), ALL_RULES), []);
});

test('other kinds are a notice, not an error', () => {
  assert.equal(check('apiVersion: v1\nkind: Service\nmetadata: {name: a}\n', ALL_RULES), [
    `${FILE}:2:7: notice: kind: Service (v1) is not used by contrail-gitops: skipped`,
  ]);
});

test('a NetworkPolicy of another apiVersion is an error naming the supported one', () => {
  assert.equal(check('apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata: {name: a}\n', ALL_RULES), [
    `${FILE}:1:13: error: apiVersion: unsupported apiVersion "extensions/v1beta1" for NetworkPolicy: use networking.k8s.io/v1 (the version Kubernetes serves)`,
  ]);
  assert.equal(check('apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: a}\n', ALL_RULES), [
    `${FILE}:1:13: error: apiVersion: unsupported apiVersion "extensions/v1beta1" for Deployment: use apps/v1 (the version Kubernetes serves)`,
  ]);
});

test.run();
