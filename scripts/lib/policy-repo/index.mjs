/**
 * Generates a policy repository: a git repository with two commits (base, head) whose files are
 * a pure function of the options, so that the same seed gives byte-identical files and the same
 * commit ids on every machine.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { createRng } from '../rng.mjs';
import { changeModel } from './change.mjs';
import { layoutFiles } from './layout.mjs';
import { buildModel } from './model.mjs';

/**
 * @typedef {object} GenerateOptions
 * @property {string} out            folder to create (must not exist, or be empty)
 * @property {number} namespaces     application namespaces (the platform ones come on top)
 * @property {number} policies       NetworkPolicies in the base revision
 * @property {number} pods           workloads (pod templates) in the application namespaces
 * @property {string} seed
 * @property {number} changePercent  share of policies the head revision changes, in %
 *
 * @typedef {object} GenerateResult
 * @property {string} root
 * @property {string} base           commit id of the base revision (also tag `base`)
 * @property {string} head           commit id of the head revision (also tag `head`)
 * @property {{namespaces: number, workloads: number, policies: number, files: number}} baseStats
 * @property {{namespaces: number, workloads: number, policies: number, files: number}} headStats
 * @property {import('./change.mjs').ChangeSummary} changes
 */

const AUTHOR = { name: 'Policy Generator', email: 'generator@contrail-gitops.invalid' };
const BASE_DATE = '2024-01-15T09:00:00+00:00';
const HEAD_DATE = '2024-01-16T09:00:00+00:00';

/** Checks the options a person gives; returns what is wrong, in words (empty when all is well). */
export function checkOptions(o) {
  const problems = [];
  const whole = (name, value, min) => {
    if (!Number.isSafeInteger(value) || value < min) problems.push(`--${name} must be a whole number, at least ${min} (got ${JSON.stringify(value)})`);
  };
  whole('namespaces', o.namespaces, 1);
  whole('policies', o.policies, 0);
  whole('pods', o.pods, 0);
  if (Number.isSafeInteger(o.pods) && Number.isSafeInteger(o.namespaces) && o.pods < o.namespaces) {
    problems.push(`--pods must be at least --namespaces (${o.namespaces}): every namespace runs at least one workload`);
  }
  if (typeof o.changePercent !== 'number' || !Number.isFinite(o.changePercent) || o.changePercent < 0 || o.changePercent > 100) {
    problems.push(`--change-percent must be a number from 0 to 100 (got ${JSON.stringify(o.changePercent)})`);
  }
  if (typeof o.out !== 'string' || o.out === '') problems.push('--out must name the folder to create');
  return problems;
}

/** The files of both revisions, without writing anything (the test and the benchmark use this too). */
export function generateFiles(o) {
  const rng = createRng(o.seed);
  const base = buildModel({ namespaces: o.namespaces, policies: o.policies, pods: o.pods }, rng.fork('base'));
  const { model: head, summary } = changeModel(base, o.changePercent, rng.fork('head'));
  const texts = new Map();
  const baseFiles = layoutFiles(base, texts);
  const headFiles = layoutFiles(head, texts);
  return { base: baseFiles, head: headFiles, baseStats: stats(base, baseFiles), headStats: stats(head, headFiles), changes: summary };
}

/** @param {GenerateOptions} o  @returns {Promise<GenerateResult>} */
export async function generateRepository(o) {
  const problems = checkOptions(o);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const root = path.resolve(o.out);
  await ensureEmptyFolder(root);
  const { base, head, baseStats, headStats, changes } = generateFiles(o);

  const git = (date) => $({ cwd: root, quiet: true, env: gitEnv(date) });
  await git(BASE_DATE)`git init --quiet --initial-branch=main`;
  await writeFiles(root, base);
  await git(BASE_DATE)`git add --all`;
  await git(BASE_DATE)`git commit --quiet --no-verify -m ${baseMessage(o, baseStats)}`;
  await git(BASE_DATE)`git tag base`;

  await Promise.all([...base.keys()].filter((f) => !head.has(f)).map((f) => rm(path.join(root, f))));
  await writeFiles(root, new Map([...head].filter(([f, text]) => base.get(f) !== text)));
  await git(HEAD_DATE)`git add --all`;
  await git(HEAD_DATE)`git commit --quiet --no-verify --allow-empty -m ${headMessage(changes)}`;
  await git(HEAD_DATE)`git tag head`;

  const sha = async (rev) => (await git(HEAD_DATE)`git rev-parse ${rev}`).stdout.trim();
  return { root, base: await sha('base'), head: await sha('head'), baseStats, headStats, changes };
}

/** Git with nothing from the machine's or the user's configuration, and fixed identities and dates. */
function gitEnv(date) {
  return {
    ...process.env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: AUTHOR.name,
    GIT_AUTHOR_EMAIL: AUTHOR.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: AUTHOR.name,
    GIT_COMMITTER_EMAIL: AUTHOR.email,
    GIT_COMMITTER_DATE: date,
  };
}

function baseMessage(o, s) {
  return `Policies of ${s.namespaces} namespaces: ${s.policies} NetworkPolicies, ${s.workloads} workloads\n\nGenerated by scripts/generate.mjs (seed ${JSON.stringify(String(o.seed))}).\n`;
}

function headMessage(c) {
  const parts = [
    `${c.portsChanged} ports changed`,
    `${c.peersAdded} peers added`,
    `${c.peersRemoved} peers removed`,
    `${c.added} policies added`,
    `${c.removed} removed`,
  ];
  return `Change ${c.changed.length} NetworkPolicies: ${parts.join(', ')}\n\n${c.changed.map((p) => `- ${p}`).join('\n')}\n`;
}

function stats(model, files) {
  return {
    namespaces: model.length,
    workloads: model.reduce((s, ns) => s + ns.workloads.length, 0),
    policies: model.reduce((s, ns) => s + ns.policies.length, 0),
    files: files.size,
  };
}

async function ensureEmptyFolder(root) {
  let entries;
  try {
    entries = await readdir(root);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
    await mkdir(root, { recursive: true });
    return;
  }
  if (entries.length > 0) throw new Error(`${root}: folder is not empty; give --out a new or empty folder (the generator never overwrites files)`);
}

/** Writes the files, folders first, a bounded number at a time. */
async function writeFiles(root, files) {
  const dirs = new Set([...files.keys()].map((f) => path.dirname(path.join(root, f))));
  for (const d of [...dirs].sort()) await mkdir(d, { recursive: true });
  const entries = [...files];
  for (let i = 0; i < entries.length; i += 64) {
    await Promise.all(entries.slice(i, i + 64).map(([f, text]) => writeFile(path.join(root, f), text)));
  }
}
