#!/usr/bin/env node
// Mode exact's proof, at length: random repositories (test/compile/exact/generate.ts) compiled in
// mode exact and checked probe by probe against the Kubernetes evaluator, as the CI property test
// does, with as many runs as you like. A failure is shrunk to a minimal repository and printed as
// a regression test for test/compile/exact/regressions.test.ts.
//
//   node scripts/exact-proof.mjs [--runs 5000] [--seed 42]
import { argv, chalk } from 'zx';
import { register } from 'tsx/esm/api';

register();
const fc = (await import('fast-check')).default;
const { agrees, check, describe, repoArb, repoYaml } = await import('../test/compile/exact/generate.ts');

const runs = Number(argv.runs ?? 2000);
const seed = Number(argv.seed ?? Date.now() % 1_000_000);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: node scripts/exact-proof.mjs [--runs N] [--seed S]');
  process.exit(2);
}

const stats = { verified: 0, refused: 0, narrowed: 0, rules: 0 };
const reasons = new Map();
const started = Date.now();
console.log(`mode exact proof: ${runs} random repositories, seed ${seed}`);

const result = await fc.check(
  fc.asyncProperty(repoArb, async (repo) => {
    const o = await check(repoYaml(repo), repo.inventoryComplete);
    if (o.kind === 'refused') {
      stats.refused++;
      for (const e of o.errors) {
        const reason = e.replace(/^.*?NetworkPolicy \S+: /, '').replace(/"[^"]*"|\S+\/\S+/g, '…').slice(0, 70);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    } else {
      stats.verified++;
      stats.rules += o.snapshot.rules.length;
      if (o.narrowingWarned) stats.narrowed++;
    }
    const done = stats.verified + stats.refused;
    if (done % 500 === 0) console.log(chalk.dim(`  ${done} checked (${((Date.now() - started) / 1000).toFixed(1)} s)`));
    return agrees(o);
  }),
  { seed, numRuns: runs },
);

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`${stats.verified} verified probe by probe, ${stats.refused} refused with a compile error, in ${seconds} s`);
console.log(`  ${stats.narrowed} with an ipblock-overlaps-pods warning (checked: never allows more than Kubernetes)`);
console.log(`  ${(stats.rules / Math.max(1, stats.verified)).toFixed(1)} firewall rules per snapshot on average`);
if (reasons.size > 0) {
  console.log('  refusals:');
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`    ${String(n).padStart(5)}  ${reason}`);
}

if (result.failed) {
  const repo = result.counterexample[0];
  const text = repoYaml(repo);
  const o = await check(text, repo.inventoryComplete);
  console.log(chalk.red(`\nFAILED after ${result.numRuns} runs (seed ${seed}, path ${result.counterexamplePath}), shrunk ${result.numShrinks} times:`));
  console.log(describe(o));
  console.log('\nAdd to test/compile/exact/regressions.test.ts:\n');
  console.log(`regression('<what it shows>', ${repo.inventoryComplete}, \`\n${text.replace(/`/g, '\\`')}\`);`);
  process.exit(1);
}
console.log(chalk.green('no divergence'));
