#!/usr/bin/env node
/**
 * Times every stage of contrail-gitops on generated repositories, in one run:
 *
 *   node scripts/bench.mjs [--policies 1000,10000] [--runs 3] [--json] [--out FILE] [--profile STAGES|missed]
 *
 * Builds the library (npm run build) and measures the compiled JS under dist/. Each measurement
 * is a fresh process; see bench/README.md for what each number means and the targets.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';
import { parseFlags, wholeNumber, wholeNumbers } from './lib/cli-args.mjs';
import { summariseProfileFile } from './lib/cpuprofile.mjs';
import { measureStages, profileStage } from './lib/bench/measure.mjs';
import { benchRepository } from './lib/bench/repos.mjs';
import { evaluateTargets, markdownReport } from './lib/bench/report.mjs';
import { DEFAULT_STAGES, STAGE_NAMES } from './lib/bench/stages.mjs';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
/** Generated repositories and profiles, kept between runs (git-ignored). */
const CACHE = path.join(PROJECT, '.bench');

const USAGE = `usage: node scripts/bench.mjs [flags]

  --policies LIST      sizes to measure, comma-separated (default 1000,10000)
  --namespaces N       application namespaces (default: policies / 20)
  --pods P             workloads (default: 2 x policies; 1,000 policies -> 2,000 pods, the verify target)
  --seed S             generator seed (default bench)
  --runs R             runs per stage, each a fresh process; the median is reported (default 3)
  --stages LIST        stages to run (default: ${DEFAULT_STAGES.join(',')};
                       also diff-static: the diff without its connectivity simulation;
                       diff-rendered: the diff on a base holding its committed rendered/;
                       diff-rendered-unstamped: the same, rendered/ from before the stamp)
  --timeout SECONDS    per run (default 900)
  --verify-pods-limit N  skip verify on repositories with more pods (default 5000: its time
                       grows with the square of the pods; the target is at 2,000)
  --profile LIST       after measuring, CPU-profile these stages at the largest size, or "missed"
                       for the stages of every missed target; summaries go into the report
  --profile-dir DIR    where the .cpuprofile files go (default ${path.join(CACHE, 'profiles')})
  --out FILE           also write the report there
  --json               print JSON instead of Markdown
  --json-out FILE      also write the JSON there (whatever is printed)
  --report-from FILE   measure nothing: print the report of that earlier JSON
  --no-build           measure dist/ as it is (default: npm run build first)`;

const { flags, problems } = parseFlags(process.argv.slice(2), {
  strings: ['policies', 'namespaces', 'pods', 'seed', 'runs', 'stages', 'timeout', 'verify-pods-limit', 'profile', 'profile-dir', 'out', 'json-out', 'report-from'],
  booleans: ['json', 'build', 'help'],
  defaults: { policies: '1000,10000', seed: 'bench', runs: '3', timeout: '900', 'verify-pods-limit': '5000', build: true },
});
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const sizes = wholeNumbers(flags.policies).sort((a, b) => a - b);
const runs = wholeNumber(flags.runs);
const timeoutMs = wholeNumber(flags.timeout) * 1000;
const verifyPodsLimit = wholeNumber(flags['verify-pods-limit']);
const stages = flags.stages === undefined ? [...DEFAULT_STAGES] : String(flags.stages).split(',').map((s) => s.trim());
if (sizes.some((n) => !(n >= 1))) problems.push(`--policies must list whole numbers, at least 1 (got ${JSON.stringify(flags.policies)})`);
if (!(runs >= 1)) problems.push(`--runs must be a whole number, at least 1 (got ${JSON.stringify(flags.runs)})`);
if (!(verifyPodsLimit >= 0)) problems.push(`--verify-pods-limit must be a whole number (got ${JSON.stringify(flags['verify-pods-limit'])})`);
if (!(timeoutMs >= 1000)) problems.push(`--timeout must be a whole number of seconds, at least 1 (got ${JSON.stringify(flags.timeout)})`);
for (const s of stages) if (!STAGE_NAMES.includes(s)) problems.push(`--stages: no stage ${JSON.stringify(s)} (stages: ${STAGE_NAMES.join(', ')})`);
if (!stages.includes('floor')) stages.unshift('floor');
const profileWanted = flags.profile === undefined ? [] : String(flags.profile).split(',').map((s) => s.trim());
for (const s of profileWanted) if (s !== 'missed' && !STAGE_NAMES.includes(s)) problems.push(`--profile: no stage ${JSON.stringify(s)}`);
for (const [flag, value] of [['namespaces', flags.namespaces], ['pods', flags.pods]]) {
  if (value !== undefined && !(wholeNumber(value) >= 1)) problems.push(`--${flag} must be a whole number, at least 1`);
}
if (problems.length > 0) {
  console.error(`bench: ${problems.join('\nbench: ')}\n\n${USAGE}`);
  process.exit(2);
}

const log = (text) => process.stderr.write(`${text}\n`);

/** Prints the report (and writes it to --out) in the format asked for. */
async function emit(result) {
  const report = flags.json ? `${JSON.stringify(result, null, 2)}\n` : markdownReport(result);
  process.stdout.write(report);
  if (flags.out) await writeFile(flags.out, report);
}

if (flags['report-from']) {
  // The report of an earlier run, from its JSON: nothing is measured.
  await emit(JSON.parse(await readFile(flags['report-from'], 'utf8')));
  process.exit(0);
}

if (flags.build) {
  log('bench: npm run build');
  const built = await $({ cwd: PROJECT, nothrow: true, quiet: true })`npm run build`;
  if (built.exitCode !== 0) {
    // tsc still emits JS on type errors: measure that, but say so (others may be mid-change).
    log(`bench: the build reported errors; measuring what it emitted:\n${built.stdout.trim().split('\n').slice(-10).join('\n')}`);
  }
}

const results = [];
for (const policies of sizes) {
  const params = {
    policies,
    namespaces: flags.namespaces === undefined ? Math.max(1, Math.ceil(policies / 20)) : wholeNumber(flags.namespaces),
    pods: flags.pods === undefined ? 2 * policies : wholeNumber(flags.pods),
  };
  params.pods = Math.max(params.pods, params.namespaces);
  const { root, repo, generated } = await benchRepository(CACHE, { ...params, seed: flags.seed, changePercent: 1 });
  log(`bench: ${policies} policies: ${generated ? 'generated' : 'cached'} ${root}`);
  const skipped = params.pods > verifyPodsLimit ? ['verify'] : [];
  const measured = await measureStages({
    stages: stages.filter((s) => !skipped.includes(s)), root, projectRoot: PROJECT, runs, timeoutMs,
    onRun: (stage, r, one) => log(`bench:   ${stage} run ${r + 1}/${runs}: ${one.unavailable ? 'not available' : one.failed ? `failed: ${one.failed.split('\n')[0]}` : `${Math.round(one.ms)} ms`}`),
  });
  for (const s of skipped.filter((x) => stages.includes(x))) {
    measured[s] = { stage: s, runsMs: [], skipped: `not run: ${params.pods} pods is over --verify-pods-limit ${verifyPodsLimit}` };
  }
  results.push({ params, repo, root, stages: measured });
}

const targets = evaluateTargets(results);
const toProfile = [...new Set(profileWanted.flatMap((s) => (s === 'missed' ? targets.filter((t) => t.result === 'MISS').flatMap((t) => t.stages) : [s])))];
const profiles = [];
if (toProfile.length > 0) {
  const largest = results[results.length - 1];
  const dir = flags['profile-dir'] ?? path.join(CACHE, 'profiles');
  await mkdir(dir, { recursive: true });
  for (const stage of toProfile) {
    // A stage that failed or timed out at this size would only do so again under the profiler.
    if (!largest.stages[stage]?.medianMs) continue;
    log(`bench: profiling ${stage} at ${largest.params.policies} policies`);
    try {
      const { file, ms } = await profileStage({ stage, root: largest.root, projectRoot: PROJECT, timeoutMs, dir, label: `p${largest.params.policies}` });
      profiles.push({ stage, policies: largest.params.policies, file, ms, ...(await summariseProfileFile(file, { top: 12, root: PROJECT })) });
    } catch (e) {
      log(`bench: ${e.message}`);
    }
  }
}

const environment = {
  package: JSON.parse(await readFile(path.join(PROJECT, 'package.json'), 'utf8')).name,
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
  memoryGiB: os.totalmem() / 1024 ** 3,
};
const result = { environment, runs, sizes: results, targets, profiles };
if (flags['json-out']) await writeFile(flags['json-out'], `${JSON.stringify(result, null, 2)}\n`);
emit(result);
