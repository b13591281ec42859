#!/usr/bin/env node
// Runs the type-check and the whole test suite (uvu over test/**/*.test.ts, TypeScript through tsx) and ends with
// the line CI reads: `N passed, N failed`. uvu's own summary is echoed but not trusted for the
// verdict: a crash before the summary counts as a failure.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? 'test';
const pattern = process.argv[3] ?? '\\.test\\.ts$';

// Type-check first: a test suite that passes on code that does not compile proves nothing.
if (!process.argv[2]) {
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) {
    console.log('\ntype-check failed');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'node_modules/uvu/bin.js'), dir, pattern], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
});

let out = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  out += chunk.toString();
});

child.on('close', (code) => {
  // eslint-disable-next-line no-control-regex
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const num = (label) => {
    const m = new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm').exec(plain);
    return m ? Number(m[1]) : undefined;
  };
  const total = num('Total');
  const passed = num('Passed');
  const skipped = num('Skipped') ?? 0;
  if (total === undefined || passed === undefined) {
    console.log('\nthe test runner stopped before its summary');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  const failed = total - passed - skipped + (code !== 0 && total === passed + skipped ? 1 : 0);
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(code !== 0 || failed > 0 ? 1 : 0);
});
