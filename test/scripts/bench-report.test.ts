/**
 * The benchmark's arithmetic, on made-up measurements: which targets hold and what the report
 * says about them, and where a CPU profile says the time went. (The measurements themselves come
 * from `node scripts/bench.mjs`, too slow for a unit test.)
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const lib = (file: string) => import(pathToFileURL(path.resolve('scripts/lib', file)).href);
const { evaluateTargets, group, markdownReport } = await lib('bench/report.mjs');
const { summariseProfile } = await lib('cpuprofile.mjs');

type Stages = Record<string, number>;
const MiB = 1024 * 1024;

/** A measured size: stage -> median ms; render's process peaked at `rssMiB`. */
function size(policies: number, stages: Stages, rssMiB = 300) {
  return {
    params: { policies, namespaces: policies / 20, pods: 2 * policies },
    repo: { namespaces: policies / 20 + 3, workloads: 2 * policies + 3, policies, files: policies + 100 },
    stages: Object.fromEntries(
      Object.entries(stages).map(([stage, ms]) => [
        stage,
        { stage, runsMs: [ms], medianMs: ms, cpuMs: [ms * 0.9], medianCpuMs: ms * 0.9, maxRssBytes: rssMiB * MiB, rssBeforeBytes: 100 * MiB, counts: stage === 'compile-cn2' ? { rules: policies * 6 } : {} },
      ]),
    ),
  };
}

test('numbers are grouped by thousands whatever the locale', () => {
  assert.is(group(1234567.891), '1,234,568');
  assert.is(group(999), '999');
  assert.is(group(12.345, 2), '12.35');
  assert.is(group(-4200), '-4,200');
  assert.is(group(NaN), '—');
});

test('targets: pipeline against 2x the floor, memory, diff against half the floor, growth, verify', () => {
  const small = size(1000, { floor: 100, load: 200, validate: 40, 'compile-cn2': 50, render: 30, diff: 40, verify: 9000 });
  const large = size(10000, { floor: 1000, load: 2100, validate: 500, 'compile-cn2': 900, render: 400, diff: 600, verify: 200000 }, 1100);
  const targets = evaluateTargets([small, large]);
  assert.equal(
    targets.map((t: { name: string; measured: string; result: string }) => [t.result, t.measured]),
    [
      ['pass', '1,800 ms = 1.80× floor (1,000 ms); CPU 1.80×'],
      ['MISS', '1,100 MiB'],
      ['MISS', '600 ms = 0.60× floor; CPU 0.60×'],
      ['MISS', 'floor 10.00×, load 10.50×, validate 12.50×, compile-cn2 18.00×, render 13.33×, diff 15.00×, verify 22.22×'],
      ['pass', '9,000 ms (the whole command, with load, validate and compile: 9,290 ms)'],
    ],
  );
  assert.is(targets[0].name, 'mode cn2, 10,000 policies (60,000 rules): validate + compile + render ≤ 2× floor');
  assert.equal(targets[3].stages, ['validate', 'compile-cn2', 'render', 'diff', 'verify']);
});

test('without the diff, the diff without its simulation bounds it from below', () => {
  const slow = size(10000, { floor: 1000, 'diff-static': 4000 });
  const [, , diff] = evaluateTargets([slow]);
  assert.is(diff.result, 'MISS');
  assert.is(diff.measured, 'not measured with its simulation; without (diff-static): 4,000 ms = 4.00× floor; CPU 4.00×, a lower bound');
  assert.equal(diff.stages, ['diff-static']);
  const fast = size(10000, { floor: 1000, 'diff-static': 400 });
  assert.is(evaluateTargets([fast])[2].result, 'n/a', 'a fast lower bound proves nothing');
});

test('a stage that is not built makes its target n/a, not a pass', () => {
  const only = size(10000, { floor: 1000, validate: 500, 'compile-cn2': 900 });
  only.stages.render = { stage: 'render', runsMs: [], unavailable: 'not built: dist/src/render/index.js' } as never;
  const targets = evaluateTargets([only]);
  assert.is(targets[0].result, 'n/a');
  assert.is(targets[0].measured, 'not measured');
  const md = markdownReport({
    environment: { package: 'contrail-gitops', node: 'v20.0.0', cpus: 2, cpuModel: 'CPU', memoryGiB: 24 },
    runs: 1,
    sizes: [only],
    targets,
    profiles: [],
  });
  assert.match(md, '| render | not available | | | | | | | | |');
  assert.match(md, '- render: not built: dist/src/render/index.js');
  assert.match(md, '| validate | 500 ms | 1 run | 450 ms | 20,000 | 120,000 | 300 MiB | 100 MiB | 0.50× | 0.50× |');
});

test('a CPU profile is summarised by self and total time, recursion counted once', () => {
  // main -> parse -> parse (recursive) ; main -> emit. Samples: 3 in the inner parse, 1 in emit,
  // and a last one in main that has no end, so no duration.
  const frame = (functionName: string, lineNumber: number) => ({ functionName, url: 'file:///p/src/a.js', lineNumber, columnNumber: 0, scriptId: '1' });
  const profile = {
    nodes: [
      { id: 1, callFrame: { ...frame('(root)', -1), url: '' }, children: [2] },
      { id: 2, callFrame: frame('main', 0), children: [3, 5] },
      { id: 3, callFrame: frame('parse', 9), children: [4] },
      { id: 4, callFrame: frame('parse', 9), children: [] },
      { id: 5, callFrame: frame('emit', 19), children: [] },
    ],
    samples: [4, 4, 4, 5, 2],
    // V8 stores the time since the previous sample: each sample lasts until the next one.
    timeDeltas: [0, 4000, 4000, 4000, 2000],
  };
  const s = summariseProfile(profile, { top: 5, root: '/p' });
  assert.is(s.totalMs, 14);
  assert.equal(s.bySelf.map((f: { name: string; selfMs: number }) => [f.name, f.selfMs]), [
    ['parse (src/a.js:10)', 12],
    ['emit (src/a.js:20)', 2],
  ]);
  // parse calls itself: its 12 ms count once in its total, not twice.
  assert.equal(s.byTotal.map((f: { name: string; totalMs: number }) => [f.name, f.totalMs]), [
    ['main (src/a.js:1)', 14],
    ['parse (src/a.js:10)', 12],
    ['emit (src/a.js:20)', 2],
  ]);
});

test.run();
