#!/usr/bin/env node
/**
 * Times `verify` on a generated repository (deterministic seed):
 *
 *   node scripts/bench-verify.mjs [--policies 1000] [--pods 2000] [--namespaces N] [--seed S] [--runs 3] [--json]
 *
 * The repository comes from the shared generator (scripts/lib/policy-repo, cached under .bench/).
 * Each run is a fresh process that loads the sources through tsx (no build needed) and times the
 * front end, the cn2 compiler, the inventory and verify separately; the median run is reported.
 * The target: verify over 2,000 pods and 1,000 policies in under 10 s on a 2-core machine.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';
import { parseFlags, wholeNumber } from './lib/cli-args.mjs';
import { benchRepository } from './lib/bench/repos.mjs';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = path.join(PROJECT, '.bench');
const TARGET_SECONDS = 10;

const USAGE = `usage: node scripts/bench-verify.mjs [--policies 1000] [--pods 2000] [--namespaces N] [--seed S] [--runs 3] [--json]`;

const { flags, problems } = parseFlags(process.argv.slice(2), {
  strings: ['policies', 'pods', 'namespaces', 'seed', 'runs'],
  booleans: ['json', 'help'],
  defaults: { policies: '1000', seed: 'bench', runs: '3' },
});
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const policies = wholeNumber(flags.policies);
const pods = flags.pods === undefined ? 2 * policies : wholeNumber(flags.pods);
const namespaces = flags.namespaces === undefined ? Math.max(1, Math.round(policies / 20)) : wholeNumber(flags.namespaces);
const runs = wholeNumber(flags.runs);
for (const [name, v] of [['policies', policies], ['pods', pods], ['namespaces', namespaces], ['runs', runs]]) {
  if (!(v >= 1)) problems.push(`--${name} must be a whole number, at least 1`);
}
if (problems.length > 0) {
  console.error(`bench-verify: ${problems.join('\nbench-verify: ')}\n\n${USAGE}`);
  process.exit(2);
}

const log = (text) => process.stderr.write(`${text}\n`);
const { root, generated } = await benchRepository(CACHE, { policies, pods, namespaces, seed: String(flags.seed), changePercent: 1 });
log(`bench-verify: repository ${path.relative(PROJECT, root)}${generated ? ' (generated)' : ' (cached)'}`);

// The child: one process per run, phases timed with the monotonic clock; prints one JSON line.
const CHILD = `
const t = () => Number(process.hrtime.bigint()) / 1e6;
const src = (p) => import(${JSON.stringify(PROJECT)} + '/src/' + p);
const [{ readPolicySet }, { fsSource }, { compile }, { buildInventory }, { verify }, { DEFAULT_CONFIG }] = await Promise.all([
  src('frontend.ts'), src('load/fs-source.ts'), src('compile/index.ts'), src('simulate/inventory.ts'), src('simulate/verify.ts'), src('config/types.ts'),
]);
const t0 = t();
const front = await readPolicySet(fsSource(${JSON.stringify(root)}), 'policies');
const t1 = t();
const { snapshot } = compile(front.policySet, { mode: 'cn2', cluster: 'k8s', generator: 'bench', podCIDR: DEFAULT_CONFIG.podCIDR, inventoryComplete: false });
const t2 = t();
const inventory = buildInventory(front.policySet, { podCIDR: DEFAULT_CONFIG.podCIDR });
const t3 = t();
const cpu = process.cpuUsage();
const r = verify(front.policySet, snapshot, inventory);
const t4 = t();
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({
  frontEndMs: t1 - t0, compileMs: t2 - t1, inventoryMs: t3 - t2, verifyMs: t4 - t3, verifyCpuMs: (used.user + used.system) / 1000,
  policies: front.policySet.policies.length, pods: r.pods, outside: r.outsideAddresses, points: r.points.length,
  probes: r.probes, divergent: r.divergent, causes: Object.fromEntries(r.groups.map((g) => [g.cause, g.count])),
}));
`;

const results = [];
for (let i = 0; i < runs; i++) {
  const started = process.hrtime.bigint();
  const out = await $({ cwd: PROJECT, quiet: true })`node --import tsx --input-type=module -e ${CHILD}`;
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  results.push({ ...JSON.parse(out.stdout.trim().split('\n').pop()), wallMs });
  log(`bench-verify: run ${i + 1}/${runs}: verify ${(results.at(-1).verifyMs / 1000).toFixed(2)} s`);
}
results.sort((a, b) => a.verifyMs - b.verifyMs);
const median = results[Math.floor(results.length / 2)];
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const inventoryAndVerify = median.inventoryMs + median.verifyMs;
const verdict = inventoryAndVerify < TARGET_SECONDS * 1000 ? 'met' : 'MISSED';

if (flags.json) {
  console.log(JSON.stringify({ policies, pods, namespaces, seed: String(flags.seed), runs, median, targetSeconds: TARGET_SECONDS, target: verdict }, null, 2));
} else {
  console.log(
    [
      `verify benchmark: ${median.policies} policies, ${median.pods} pods, ${median.outside} outside addresses, ${median.points} ports -> ${median.probes} probes (median of ${runs})`,
      `  front end        ${seconds(median.frontEndMs)}`,
      `  compile (cn2)    ${seconds(median.compileMs)}`,
      `  inventory        ${seconds(median.inventoryMs)}`,
      `  verify           ${seconds(median.verifyMs)} (CPU ${seconds(median.verifyCpuMs)}; wall time counts other processes on a shared machine)`,
      `  process (wall)   ${seconds(median.wallMs)}`,
      `  divergent probes ${median.divergent}: ${Object.entries(median.causes).map(([c, n]) => `${c} ${n}`).join(', ') || 'none'}`,
      `target: inventory + verify under ${TARGET_SECONDS} s: ${verdict} (${seconds(inventoryAndVerify)})`,
    ].join('\n'),
  );
}
process.exitCode = verdict === 'met' ? 0 : 1;
