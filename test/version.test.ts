import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GENERATOR, PACKAGE_NAME, PACKAGE_VERSION } from '../src/version.js';

test('the version written into snapshots is the package version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.is(PACKAGE_NAME, pkg.name);
  assert.is(PACKAGE_VERSION, pkg.version);
  assert.is(GENERATOR, `${pkg.name} ${pkg.version}`);
});

test.run();
