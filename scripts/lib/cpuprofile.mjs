/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the functions where the time went, by self
 * time (the function's own code) and by total time (the function and what it called). Frames are
 * grouped by function and place, and a recursive function is counted once per sample.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * @typedef {object} Frame
 * @property {string} name       `function (file:line)`
 * @property {number} selfMs
 * @property {number} totalMs
 *
 * @typedef {object} ProfileSummary
 * @property {number} totalMs    wall time the profile covers
 * @property {Frame[]} bySelf    heaviest first
 * @property {Frame[]} byTotal   heaviest first, without the synthetic (root)/(program)/(idle) frames
 */

const SYNTHETIC = new Set(['(root)', '(program)', '(idle)']);

/** @returns {Promise<ProfileSummary>} */
export async function summariseProfileFile(file, { top = 15, root = process.cwd() } = {}) {
  return summariseProfile(JSON.parse(await readFile(file, 'utf8')), { top, root });
}

/** @returns {ProfileSummary} */
export function summariseProfile(profile, { top = 15, root = process.cwd() } = {}) {
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = new Map(profile.nodes.map((n) => [n.id, frameName(n.callFrame, root)]));

  const self = new Map();
  const total = new Map();
  const { samples, timeDeltas } = profile;
  let totalUs = 0;
  for (let i = 0; i < samples.length; i++) {
    // A sample stands for the time until the next one (V8 stores the time since the previous).
    const us = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
    if (us <= 0) continue;
    totalUs += us;
    const id = samples[i];
    const key = keyOf.get(id);
    self.set(key, (self.get(key) ?? 0) + us);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const k = keyOf.get(at);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + us);
    }
  }
  const frames = [...total.keys()].map((name) => ({ name, selfMs: (self.get(name) ?? 0) / 1000, totalMs: total.get(name) / 1000 }));
  const order = (f) => (a, b) => f(b) - f(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    totalMs: totalUs / 1000,
    bySelf: frames.filter((f) => f.selfMs > 0).sort(order((f) => f.selfMs)).slice(0, top),
    byTotal: frames.filter((f) => !SYNTHETIC.has(f.name)).sort(order((f) => f.totalMs)).slice(0, top),
  };
}

/** Long enough for any function name; a regular expression's source is cut there. */
const MAX_NAME = 100;

function frameName(cf, root) {
  const name = cf.functionName || '(anonymous)';
  const fn = name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}...` : name;
  if (!cf.url) return fn;
  let where = cf.url.startsWith('file://') ? decodeURIComponent(cf.url.slice('file://'.length)) : cf.url;
  if (path.isAbsolute(where)) {
    const rel = path.relative(root, where);
    where = rel.startsWith('..') ? where.replace(/^.*\/node_modules\//, 'node_modules/') : rel;
  }
  return `${fn} (${where}:${cf.lineNumber + 1})`;
}

/** The summary as Markdown: two tables, self time and total time. */
export function profileMarkdown(title, s) {
  const pct = (ms) => `${((100 * ms) / (s.totalMs || 1)).toFixed(1)}%`;
  const row = (f) => `| ${f.name.replace(/\|/g, '\\|')} | ${f.selfMs.toFixed(0)} | ${pct(f.selfMs)} | ${f.totalMs.toFixed(0)} | ${pct(f.totalMs)} |`;
  const head = '| function | self ms | self | total ms | total |\n| --- | ---: | ---: | ---: | ---: |';
  return [
    `#### ${title}: ${s.totalMs.toFixed(0)} ms sampled`,
    '',
    'By self time:',
    '',
    head,
    ...s.bySelf.map(row),
    '',
    'By total time (the function and its callees):',
    '',
    head,
    ...s.byTotal.map(row),
    '',
  ].join('\n');
}
