/**
 * Runs the stages in child processes and gathers what they measured: every run of a stage is a
 * fresh `node` (cold, as the CLI runs; and its RSS high-water mark is its own), the runs of
 * different stages interleaved so that a burst of load on the machine does not land on one stage.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));
const RESULT_PREFIX = 'BENCH-RESULT ';

/**
 * @typedef {object} RunResult
 * @property {number} [ms]
 * @property {number} [cpuMs]
 * @property {Record<string, number | string>} [counts]
 * @property {number} [maxRssBytes]
 * @property {number} [rssBeforeBytes]
 * @property {number} [heapGrowthBytes]
 * @property {string} [unavailable]  the stage's module is not built
 * @property {string} [failed]       what went wrong
 */

/** One child process: one stage, timed once. @returns {Promise<RunResult>} */
export function runStageOnce({ stage, root, projectRoot, profile, timeoutMs }) {
  const args = ['--expose-gc', CHILD, JSON.stringify({ stage, root, projectRoot, profile })];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: projectRoot, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (line) return resolve(JSON.parse(line.slice(RESULT_PREFIX.length)));
      if (error && error.killed) return resolve({ failed: `timed out after ${Math.round(timeoutMs / 1000)} s` });
      const why = error?.signal ? `killed by ${error.signal}` : `exit code ${error?.code ?? 0}`;
      resolve({ failed: `${why}: ${(stderr || stdout).trim().split('\n').slice(-8).join('\n')}` });
    });
  });
}

/**
 * @typedef {object} StageResult
 * @property {string} stage
 * @property {number[]} runsMs
 * @property {number} [medianMs]
 * @property {number[]} [cpuMs]        CPU time (user + system, all threads) of each run
 * @property {number} [medianCpuMs]
 * @property {number} [maxRssBytes]     highest over the runs
 * @property {number} [rssBeforeBytes]  median over the runs
 * @property {Record<string, number | string>} [counts]  medians over the runs
 * @property {string} [unavailable]
 * @property {string} [failed]
 * @property {string} [skipped]      not run, and why
 */

/**
 * Measures `stages` on the repository `root`, `runs` times each.
 * @returns {Promise<Record<string, StageResult>>}
 */
export async function measureStages({ stages, root, projectRoot, runs, timeoutMs, onRun = () => {} }) {
  const results = Object.fromEntries(stages.map((s) => [s, { stage: s, runsMs: [], raw: [] }]));
  for (let r = 0; r < runs; r++) {
    for (const stage of stages) {
      const acc = results[stage];
      if (acc.unavailable || acc.failed) continue;
      const one = await runStageOnce({ stage, root, projectRoot, timeoutMs });
      onRun(stage, r, one);
      if (one.unavailable) acc.unavailable = one.unavailable;
      else if (one.failed) acc.failed = one.failed;
      else acc.raw.push(one);
    }
  }
  for (const acc of Object.values(results)) {
    const ok = acc.raw;
    delete acc.raw;
    if (ok.length === 0) continue;
    acc.runsMs = ok.map((o) => o.ms);
    acc.medianMs = median(acc.runsMs);
    acc.cpuMs = ok.map((o) => o.cpuMs);
    acc.medianCpuMs = median(acc.cpuMs);
    acc.maxRssBytes = Math.max(...ok.map((o) => o.maxRssBytes));
    acc.rssBeforeBytes = median(ok.map((o) => o.rssBeforeBytes));
    acc.counts = medianCounts(ok.map((o) => o.counts));
  }
  return results;
}

/** Profiles one run of `stage` (the stage alone, not its setup); returns the .cpuprofile path. */
export async function profileStage({ stage, root, projectRoot, timeoutMs, dir, label }) {
  const file = path.join(dir, `${label}-${stage}.cpuprofile`);
  const r = await runStageOnce({ stage, root, projectRoot, timeoutMs, profile: file });
  if (r.unavailable || r.failed) throw new Error(`profiling ${stage}: ${r.unavailable ?? r.failed}`);
  return { file, ms: r.ms };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Counts are the same on every run except the floor's timings: their medians. Words (a diff's `baseOutputCheck`), the last run's. */
function medianCounts(all) {
  const out = {};
  for (const key of Object.keys(all[0] ?? {})) out[key] = typeof all[0][key] === 'number' ? median(all.map((c) => c[key])) : all.at(-1)[key];
  return out;
}
