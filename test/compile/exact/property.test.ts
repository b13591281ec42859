/**
 * Mode exact's proof by property: on random repositories (generate.ts, fixed seed), the Contrail
 * evaluator on the exact snapshot agrees with the Kubernetes evaluator on every probe of `verify`.
 * More runs: `node scripts/exact-proof.mjs --runs 20000`.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agrees, check, describe, repoArb, repoYaml } from './generate.js';

const RUNS = Number(process.env.EXACT_PROPERTY_RUNS ?? 500);

test(`the exact snapshot enforces what Kubernetes specifies (${RUNS} random repositories)`, async () => {
  let refused = 0;
  let verified = 0;
  await fc.assert(
    fc.asyncProperty(repoArb, async (repo) => {
      const o = await check(repoYaml(repo), repo.inventoryComplete);
      if (o.kind === 'refused') refused++;
      else verified++;
      if (!agrees(o)) throw new Error(`${describe(o)}\n--- repository (inventoryComplete: ${repo.inventoryComplete}) ---\n${repoYaml(repo)}`);
    }),
    { seed: 20260501, numRuns: RUNS, endOnFailure: false },
  );
  // Most repositories must compile, or the property proves little.
  assert.ok(verified >= refused * 3, `verified ${verified}, refused ${refused}`);
});

test.run();
