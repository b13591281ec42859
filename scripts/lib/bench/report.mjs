/**
 * The benchmark's report: per size, a table of every stage (median wall time, spread,
 * throughput, peak memory, ratio to the floor), then the targets, each with what was measured
 * and whether it holds. Markdown for people, JSON for tools.
 */
import { profileMarkdown } from '../cpuprofile.mjs';
import { STAGES, STAGE_NAMES } from './stages.mjs';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** 12345.6 -> "12,346": grouping by hand, so that the output does not depend on the locale. */
export function group(n, digits = 0) {
  if (!Number.isFinite(n)) return '—';
  const [int, frac] = Math.abs(n).toFixed(digits).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

const ms = (x) => (x >= 10_000 ? `${group(x / 1000, 1)} s` : `${group(x)} ms`);
const mib = (b) => `${group(b / MiB)} MiB`;
const ratio = (x) => (Number.isFinite(x) ? `${group(x, 2)}×` : '—');

/**
 * @typedef {object} SizeResult
 * @property {{policies: number, namespaces: number, pods: number}} params
 * @property {{namespaces: number, workloads: number, policies: number, files: number}} repo
 * @property {Record<string, import('./measure.mjs').StageResult>} stages
 *
 * @typedef {object} Target
 * @property {string} name
 * @property {string} measured
 * @property {'pass' | 'MISS' | 'n/a'} result
 * @property {string[]} stages   stages to profile when it is missed
 */

const medianOf = (size, stage) => size.stages[stage]?.medianMs;
const cpuOf = (size, stage) => size.stages[stage]?.medianCpuMs;
const sumOf = (size, stages, of) => {
  const xs = stages.map((s) => of(size, s));
  return xs.every(Number.isFinite) ? xs.reduce((a, b) => a + b, 0) : NaN;
};
/** `, CPU 1.75×`: the same ratio in CPU time, which others' load on the machine disturbs less. */
const cpuRatio = (cpu, floorCpu) => (Number.isFinite(cpu) && Number.isFinite(floorCpu) ? `; CPU ${ratio(cpu / floorCpu)}` : '');
const cn2Rules = (size) => size.stages['compile-cn2']?.counts?.rules;

/** @param {SizeResult[]} sizes  sorted by policies @returns {Target[]} */
export function evaluateTargets(sizes) {
  const targets = [];
  const largest = sizes[sizes.length - 1];
  if (largest) {
    const at = `${group(largest.params.policies)} policies`;
    const floor = medianOf(largest, 'floor');
    const floorCpu = cpuOf(largest, 'floor');
    const pipelineStages = ['validate', 'compile-cn2', 'render'];
    const pipeline = sumOf(largest, pipelineStages, medianOf);
    targets.push(target(
      `mode cn2, ${at} (${group(cn2Rules(largest))} rules): validate + compile + render ≤ 2× floor`,
      Number.isFinite(pipeline) && Number.isFinite(floor)
        ? `${ms(pipeline)} = ${ratio(pipeline / floor)} floor (${ms(floor)})${cpuRatio(sumOf(largest, pipelineStages, cpuOf), floorCpu)}`
        : 'not measured',
      Number.isFinite(pipeline) && Number.isFinite(floor) ? pipeline <= 2 * floor : undefined,
      ['validate', 'compile-cn2', 'render'],
    ));
    const rss = largest.stages.render?.maxRssBytes;
    targets.push(target(
      `mode cn2, ${at}: peak memory of load + validate + compile + render (one process) < 1 GiB`,
      Number.isFinite(rss) ? mib(rss) : 'not measured',
      Number.isFinite(rss) ? rss < GiB : undefined,
      ['load', 'validate', 'compile-cn2', 'render'],
    ));
    const diff = medianOf(largest, 'diff');
    const diffStatic = medianOf(largest, 'diff-static');
    const diffName = `diff of the two revisions, report included, ${at}: < 0.5× floor`;
    if (Number.isFinite(diff) || !Number.isFinite(diffStatic)) {
      targets.push(target(
        diffName,
        Number.isFinite(diff) && Number.isFinite(floor) ? `${ms(diff)} = ${ratio(diff / floor)} floor${cpuRatio(cpuOf(largest, 'diff'), floorCpu)}` : 'not measured',
        Number.isFinite(diff) && Number.isFinite(floor) ? diff < 0.5 * floor : undefined,
        ['diff'],
      ));
    } else {
      // The diff without its simulation takes less time than the diff: a lower bound that can fail the target.
      targets.push(target(
        diffName,
        `not measured with its simulation; without (diff-static): ${ms(diffStatic)} = ${ratio(diffStatic / floor)} floor${cpuRatio(cpuOf(largest, 'diff-static'), floorCpu)}, a lower bound`,
        diffStatic >= 0.5 * floor ? false : undefined,
        ['diff-static'],
      ));
    }
  }
  for (let i = 1; i < sizes.length; i++) {
    const [a, b] = [sizes[i - 1], sizes[i]];
    const scale = b.params.policies / a.params.policies;
    const limit = 1.2 * scale;
    const growth = STAGE_NAMES.map((s) => ({ s, g: medianOf(b, s) / medianOf(a, s) })).filter(({ g }) => Number.isFinite(g));
    const over = growth.filter(({ g }) => g > limit);
    targets.push(target(
      `growth ${group(a.params.policies)} → ${group(b.params.policies)} policies (${group(scale, 1)}×): each stage ≤ ${group(limit, 1)}× the time`,
      growth.length ? growth.map(({ s, g }) => `${s} ${ratio(g)}`).join(', ') : 'not measured',
      growth.length ? over.length === 0 : undefined,
      over.map(({ s }) => s),
    ));
  }
  const verifySize = sizes.find((s) => s.params.policies === 1000 && s.params.pods === 2000) ?? sizes[0];
  if (verifySize) {
    const v = medianOf(verifySize, 'verify');
    const cmd = ['load', 'validate', 'compile-cn2', 'verify'].map((s) => medianOf(verifySize, s)).reduce((x, y) => x + y, 0);
    targets.push(target(
      `verify on ${group(verifySize.params.pods)} pods and ${group(verifySize.params.policies)} policies: < 10 s`,
      Number.isFinite(v) ? `${ms(v)} (the whole command, with load, validate and compile: ${ms(cmd)})` : 'not measured',
      Number.isFinite(v) ? v < 10_000 : undefined,
      ['verify'],
    ));
  }
  return targets;
}

function target(name, measured, ok, stages) {
  return { name, measured, result: ok === undefined ? 'n/a' : ok ? 'pass' : 'MISS', stages };
}

/** @param {SizeResult} size */
export function sizeTable(size) {
  const floor = medianOf(size, 'floor');
  const rules = cn2Rules(size);
  const lines = [
    `### ${group(size.params.policies)} NetworkPolicies`,
    '',
    `${group(size.repo.namespaces)} namespaces, ${group(size.repo.workloads)} workloads, ${group(size.repo.files)} files; mode cn2 gives ${group(rules)} firewall rules, mode exact ${group(size.stages['compile-exact']?.counts?.rules)}.`,
    '',
    '| stage | median | runs | CPU | policies/s | rules/s | peak RSS | RSS before | × floor | × floor, CPU |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const name of STAGE_NAMES) {
    const r = size.stages[name];
    if (!r) continue;
    if (r.unavailable || r.failed || r.skipped) {
      lines.push(`| ${name} | ${r.unavailable ? 'not available' : r.skipped ? 'skipped' : 'failed'} | | | | | | | | |`);
      continue;
    }
    const t = r.medianMs;
    const stageRules = name === 'compile-exact' ? r.counts?.rules : rules;
    const perSecond = (n) => group((n * 1000) / t);
    const spread = r.runsMs.length > 1 ? `${ms(Math.min(...r.runsMs))} – ${ms(Math.max(...r.runsMs))}` : '1 run';
    const cpu = r.medianCpuMs;
    lines.push(
      `| ${name} | ${ms(t)} | ${spread} | ${Number.isFinite(cpu) ? ms(cpu) : '—'} | ${perSecond(size.params.policies)} | ${name === 'verify' ? '—' : perSecond(stageRules)} | ${mib(r.maxRssBytes)} | ${mib(r.rssBeforeBytes)} | ${ratio(t / floor)} | ${ratio(cpu / cpuOf(size, 'floor'))} |`,
    );
  }
  const f = size.stages.floor?.counts;
  if (f) lines.push('', `Floor: read + parse ${ms(f.readParseMs)}, JSON.stringify of the snapshot (${group(f.snapshotBytes / MiB, 1)} MiB) ${ms(f.stringifyMs)}.`);
  const problems = STAGE_NAMES.map((n) => size.stages[n]).filter((r) => r && (r.unavailable || r.failed || r.skipped));
  // The first line says what happened; the whole stack is in the JSON output.
  for (const r of problems) lines.push('', `- ${r.stage}: ${(r.unavailable ?? r.failed ?? r.skipped).split('\n')[0]}`);
  const d = size.stages.diff?.counts;
  if (d) lines.push('', `Diff: ${group(d.rulesAdded)} rules added, ${group(d.rulesRemoved)} removed, ${group(d.rulesChanged)} changed; ${group(d.flowsOpened)} flows opened, ${group(d.flowsClosed)} closed; report ${group(d.reportBytes)} bytes.`);
  const v = size.stages.verify?.counts;
  if (v) lines.push('', `Verify: ${group(v.pods)} pods, ${group(v.outside)} outside addresses, ${group(v.probes)} probes, ${group(v.divergent)} divergent.`);
  return lines.join('\n');
}

export function growthTable(sizes) {
  if (sizes.length < 2) return '';
  const steps = sizes.slice(1).map((s, i) => `${group(sizes[i].params.policies)} → ${group(s.params.policies)}`);
  const head = `| stage | ${sizes.map((s) => group(s.params.policies)).join(' | ')} | ${steps.map((st) => `× ${st}`).join(' | ')} | ${steps.map((st) => `× ${st}, CPU`).join(' | ')} |`;
  const sep = `| --- | ${[...sizes, ...steps, ...steps].map(() => '---:').join(' | ')} |`;
  const rows = STAGE_NAMES.filter((n) => sizes.some((s) => Number.isFinite(medianOf(s, n)))).map((n) => {
    const times = sizes.map((s) => medianOf(s, n));
    const cpus = sizes.map((s) => cpuOf(s, n));
    const growth = (xs) => sizes.slice(1).map((s, i) => ratio(xs[i + 1] / xs[i]));
    return `| ${n} | ${times.map((t) => (Number.isFinite(t) ? ms(t) : '—')).join(' | ')} | ${growth(times).join(' | ')} | ${growth(cpus).join(' | ')} |`;
  });
  return ['### Growth', '', head, sep, ...rows].join('\n');
}

export function targetsTable(targets) {
  return [
    '### Targets',
    '',
    '| target | measured | result |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${t.name} | ${t.measured} | ${t.result === 'MISS' ? '**MISS**' : t.result} |`),
  ].join('\n');
}

export function stageLegend() {
  return ['| stage | what is timed |', '| --- | --- |', ...STAGE_NAMES.map((n) => `| ${n} | ${STAGES[n].does} |`)].join('\n');
}

/**
 * @param {{environment: object, runs: number, sizes: SizeResult[], targets: Target[],
 *   profiles: (import('../cpuprofile.mjs').ProfileSummary & {stage: string, policies: number, file: string, ms: number})[]}} result
 */
export function markdownReport({ environment, runs, sizes, targets, profiles = [] }) {
  const out = [
    '## Benchmark',
    '',
    `${environment.package}, Node ${environment.node}, ${environment.cpus} × ${environment.cpuModel}, ${group(environment.memoryGiB)} GiB; median of ${runs} run${runs === 1 ? '' : 's'}, each in a fresh process.`,
    '',
    ...sizes.flatMap((s) => [sizeTable(s), '']),
  ];
  const growth = growthTable(sizes);
  if (growth) out.push(growth, '');
  out.push(targetsTable(targets), '', stageLegend(), '');
  for (const p of profiles) {
    out.push(profileMarkdown(`Profile of ${p.stage}, ${group(p.policies)} policies (${ms(p.ms)} with the profiler; ${p.file})`, p), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
