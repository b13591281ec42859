/**
 * The benchmark's stages, as the child process runs them: each names the library modules it needs
 * (compiled JS under dist/), prepares its input outside the timed part (`setup`), and does the
 * stage's work in `run`, returning counts for the report. A stage whose module is not built yet
 * is reported as not available rather than failing the whole run.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadAll } from 'js-yaml';
import { $ } from 'zx';

/** Stage names in report order. `floor` first: every ratio is to it. */
export const STAGE_NAMES = ['floor', 'parse-parallel', 'load', 'validate', 'compile-cn2', 'compile-exact', 'render', 'diff', 'diff-static', 'diff-rendered', 'diff-rendered-unstamped', 'verify'];
/**
 * Stages run only on request: `parse-parallel` (the floor's reading and parsing on every core);
 * `diff-static` (the diff without its simulation); `diff-rendered`
 * and `diff-rendered-unstamped` (the diff with a committed rendered/ in the base), whose untimed
 * setup renders the whole base once per run.
 */
const ON_REQUEST = ['parse-parallel', 'diff-static', 'diff-rendered', 'diff-rendered-unstamped'];
/** What a run measures unless told otherwise. */
export const DEFAULT_STAGES = STAGE_NAMES.filter((s) => !ON_REQUEST.includes(s));

/** What the library functions are, under dist/ (paths relative to the project root). */
const MODULES = {
  frontend: 'dist/src/frontend.js',
  loader: 'dist/src/load/loader.js',
  fsSource: 'dist/src/load/fs-source.js',
  validate: 'dist/src/validate/validate.js',
  normalize: 'dist/src/validate/normalize.js',
  compile: 'dist/src/compile/index.js',
  render: 'dist/src/render/index.js',
  renderWrite: 'dist/src/render/write.js',
  diff: 'dist/src/diff/index.js',
  report: 'dist/src/report/index.js',
  inventory: 'dist/src/simulate/inventory.js',
  verify: 'dist/src/simulate/verify.js',
  config: 'dist/src/config/types.js',
  version: 'dist/src/version.js',
};

const POLICIES = 'policies';
const POLICY_FILE = /\.(ya?ml|json)$/;

function compileOptions(lib, mode) {
  const c = lib.config.DEFAULT_CONFIG;
  // The generated manifests list every namespace and workload: mode exact may resolve NotIn/Exists.
  return { mode, cluster: c.cluster, generator: lib.version.GENERATOR, podCIDR: c.podCIDR, inventoryComplete: mode === 'exact' };
}

async function frontEnd(lib, root) {
  const r = await lib.frontend.readPolicySet(lib.fsSource.fsSource(root), POLICIES);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the front end reports ${errors.length} errors, the first: ${JSON.stringify(errors[0])}`);
  return r.policySet;
}

function compiled(lib, policySet, mode) {
  const r = lib.compile.compile(policySet, compileOptions(lib, mode));
  if (!r.snapshot) throw new Error(`mode ${mode} does not compile: ${r.diagnostics.length} diagnostics, the first: ${JSON.stringify(r.diagnostics[0])}`);
  return r.snapshot;
}

/** The snapshot's own data, without the back-references to the source documents it carries for messages. */
function snapshotData(snapshot) {
  return JSON.parse(JSON.stringify(snapshot, (key, value) => (key === 'source' || key === 'origin' ? undefined : value)));
}

const errorsIn = (diagnostics) => diagnostics.filter((d) => d.severity === 'error').length;

/**
 * @typedef {object} StageContext
 * @property {string} root   the generated repository
 * @property {string} projectRoot  the project under test (its dist/ is measured)
 * @property {Record<string, any>} lib  the modules of `needs`, loaded
 * @property {any} [input]   what setup prepared
 *
 * @typedef {object} Stage
 * @property {string} name
 * @property {string} does   one line for the report
 * @property {(keyof typeof MODULES)[]} needs
 * @property {(ctx: StageContext) => Promise<any>} [setup]
 * @property {(ctx: StageContext) => Promise<Record<string, number | string>>} run
 * @property {(ctx: StageContext) => Promise<void>} [teardown]  run even when `run` fails
 */

/** @type {Record<string, Stage>} */
export const STAGES = {
  floor: {
    name: 'floor',
    does: 'the work no tool can skip: walk, read and js-yaml loadAll every policy file, then JSON.stringify the cn2 snapshot',
    needs: ['frontend', 'fsSource', 'compile', 'config', 'version'],
    async setup({ lib, root }) {
      return snapshotData(compiled(lib, await frontEnd(lib, root), 'cn2'));
    },
    async run({ root, input }) {
      const t0 = performance.now();
      const files = (await readdir(path.join(root, POLICIES), { recursive: true })).filter((f) => POLICY_FILE.test(f)).sort();
      let documents = 0;
      // Synchronous reads: the fastest way to read many small files, so the floor is a true minimum.
      for (const f of files) documents += loadAll(readFileSync(path.join(root, POLICIES, f), 'utf8')).length;
      const t1 = performance.now();
      const json = JSON.stringify(input);
      const t2 = performance.now();
      return { files: files.length, documents, snapshotBytes: json.length, readParseMs: t1 - t0, stringifyMs: t2 - t1 };
    },
  },
  // The least a diff must do when nothing is kept between runs: its report depends on every file of
  // the head (rule order, every pod and every policy that selects it), so it reads and parses them
  // all at least once. Here on every core, with nothing else: a diff cannot be faster than this.
  'parse-parallel': {
    name: 'parse-parallel',
    does: 'walk, read and js-yaml loadAll every policy file, on as many threads as cores (nothing else)',
    needs: [],
    async run({ root }) {
      const files = (await readdir(path.join(root, POLICIES), { recursive: true })).filter((f) => POLICY_FILE.test(f)).sort();
      const texts = files.map((f) => readFileSync(path.join(root, POLICIES, f), 'utf8'));
      const threads = availableParallelism();
      const per = Math.ceil(texts.length / threads);
      const workers = Array.from({ length: threads }, () => new Worker(new URL('./parse-worker.mjs', import.meta.url)));
      try {
        const counts = await Promise.all(
          workers.map((w, i) => new Promise((resolve, reject) => {
            w.once('message', resolve);
            w.once('error', reject);
            w.postMessage(texts.slice(i * per, (i + 1) * per));
          })),
        );
        return { files: files.length, documents: counts.reduce((a, b) => a + b, 0), threads };
      } finally {
        await Promise.all(workers.map((w) => w.terminate()));
      }
    },
  },
  load: {
    name: 'load',
    does: 'loadObjects: walk, read, parse YAML with positions, extract objects',
    needs: ['loader', 'fsSource'],
    async run({ lib, root }) {
      const r = await lib.loader.loadObjects(lib.fsSource.fsSource(root), POLICIES);
      return { files: r.files, objects: r.objects.length, errors: errorsIn(r.diagnostics) };
    },
  },
  validate: {
    name: 'validate',
    does: 'validateObjects + toPolicySet: validate as the API server, default, normalise',
    needs: ['loader', 'fsSource', 'validate', 'normalize'],
    async setup({ lib, root }) {
      return (await lib.loader.loadObjects(lib.fsSource.fsSource(root), POLICIES)).objects;
    },
    async run({ lib, input }) {
      const v = lib.validate.validateObjects(input);
      const set = lib.normalize.toPolicySet(v.valid);
      return { policies: set.policies.length, namespaces: set.namespaces.length, workloads: set.workloads.length, errors: errorsIn(v.diagnostics) };
    },
  },
  'compile-cn2': compileStage('cn2'),
  'compile-exact': compileStage('exact'),
  render: {
    name: 'render',
    does: 'renderSnapshot (vnc.json, CN2 resources, rule table) to strings, then writeRendered into an empty folder',
    needs: ['frontend', 'fsSource', 'compile', 'config', 'version', 'render', 'renderWrite'],
    async setup({ lib, root }) {
      const snapshot = compiled(lib, await frontEnd(lib, root), 'cn2');
      const out = await mkdtemp(path.join(tmpdir(), 'bench-render-'));
      return { snapshot, out };
    },
    async run({ lib, input }) {
      const files = lib.render.renderSnapshot(input.snapshot, { cn2ApiVersion: lib.config.DEFAULT_CONFIG.cn2ApiVersion });
      const written = await lib.renderWrite.writeRendered(input.out, files, { check: false });
      let bytes = 0;
      for (const content of files.values()) bytes += Buffer.byteLength(content);
      return { files: files.size, written: written.changed.length, bytes };
    },
    async teardown({ input }) {
      await rm(input.out, { recursive: true, force: true });
    },
  },
  diff: diffStage(true),
  'diff-static': diffStage(false),
  'diff-rendered': diffRenderedStage(true),
  'diff-rendered-unstamped': diffRenderedStage(false),
  verify: {
    name: 'verify',
    does: 'buildInventory + verify: every pod pair and outside address, both evaluators (mode cn2)',
    needs: ['frontend', 'fsSource', 'compile', 'config', 'version', 'inventory', 'verify'],
    async setup({ lib, root }) {
      const policySet = await frontEnd(lib, root);
      return { policySet, snapshot: compiled(lib, policySet, 'cn2') };
    },
    async run({ lib, input }) {
      const inventory = lib.inventory.buildInventory(input.policySet, { podCIDR: lib.config.DEFAULT_CONFIG.podCIDR });
      const r = lib.verify.verify(input.policySet, input.snapshot, inventory);
      return { pods: r.pods, probes: r.probes, divergent: r.divergent, outside: r.outsideAddresses };
    },
  },
};

/** The pull-request diff, as the CLI and the Action run it: with the connectivity simulation, or without. */
function diffStage(simulate) {
  return {
    name: simulate ? 'diff' : 'diff-static',
    does: `diffRevisions base -> working tree (head)${simulate ? ', with the connectivity simulation' : ' with simulate: false'}, then renderReport as Markdown`,
    needs: ['diff', 'report', 'config'],
    async run({ lib, root }) {
      return (await pullRequestDiff(lib, root, simulate)).counts;
    },
  };
}

/** diffRevisions base -> working tree and its Markdown report: the timed work of every diff stage. */
async function pullRequestDiff(lib, root, simulate) {
  const config = { ...lib.config.DEFAULT_CONFIG, root };
  const result = await lib.diff.diffRevisions({ root, base: 'base', config, simulate });
  const markdown = lib.report.renderReport(result, { format: 'markdown' });
  const s = result.report.summary;
  return {
    baseOutputCheck: result.baseOutputCheck,
    counts: { reportBytes: Buffer.byteLength(markdown), rulesAdded: s.rulesAdded, rulesRemoved: s.rulesRemoved, rulesChanged: s.rulesChanged, flowsOpened: s.flowsOpened, flowsClosed: s.flowsClosed },
  };
}

/**
 * The diff as real repositories see it: the base holds the rendered/ folder the render Action
 * committed on merge, which the generated base lacks. `stamped` false: a folder committed by a
 * version from before the manifest's freshness stamp, so the diff renders the base in full to
 * check it for stale files; against `diff-rendered`, that shows what the stamp saves.
 */
function diffRenderedStage(stamped) {
  const name = stamped ? 'diff-rendered' : 'diff-rendered-unstamped';
  // The path the diff must take, or the figure would not measure what the stage says it does.
  const expected = stamped ? 'stamp' : 'rendered';
  return {
    name,
    does: `as diff, on a base holding the rendered/ folder ${stamped ? 'a render commits (the stamp proves it fresh)' : 'of a version before the stamp (compared file by file)'}`,
    needs: ['diff', 'report', 'config', 'renderWrite'],
    async setup({ lib, root, projectRoot }) {
      const clone = await mkdtemp(path.join(tmpdir(), `bench-${name}-`));
      try {
        await withRenderedBase({ lib, root, clone, projectRoot, stamped });
      } catch (e) {
        await rm(clone, { recursive: true, force: true });
        throw e;
      }
      return clone;
    },
    async run({ lib, input }) {
      const { counts, baseOutputCheck } = await pullRequestDiff(lib, input, true);
      if (baseOutputCheck !== expected) throw new Error(`${name}: the diff checked the base's rendered/ by ${JSON.stringify(baseOutputCheck)}, not ${JSON.stringify(expected)}`);
      return { ...counts, baseOutputCheck };
    },
    async teardown({ input }) {
      if (input) await rm(input, { recursive: true, force: true });
    },
  };
}

/**
 * Clones the generated repository `root` into `clone`, where `base` is moved to a new commit: the
 * generated base plus rendered/ as the compiled CLI renders it (run as a user runs it); the working
 * tree is the head's, with the base's rendered/ (a pull request changes policies, not rendered/).
 */
async function withRenderedBase({ lib, root, clone, projectRoot, stamped }) {
  // The user's and the system's git configuration (hooks, signing, identity) stay out of it.
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid' };
  const git = $({ cwd: clone, quiet: true, env });
  const out = lib.config.DEFAULT_CONFIG.output;
  await git`git clone --quiet --no-checkout ${root} .`;
  await git`git checkout --quiet --detach base`;
  await $({ cwd: projectRoot, quiet: true })`${process.execPath} dist/src/cli/main.js render --root ${clone}`;
  if (!stamped) {
    const manifest = path.join(clone, out, lib.renderWrite.MANIFEST);
    await writeFile(manifest, lib.renderWrite.withoutStamp(await readFile(manifest, 'utf8')));
  }
  await git`git add --all ${out}`;
  await git`git commit --quiet --no-verify -m ${`Render policies${stamped ? '' : ' (before the freshness stamp)'}`}`;
  await git`git tag --force base`;
  // Checking out head removes rendered/ (head's commit has none); the base's is put back.
  await git`git checkout --quiet --detach head`;
  await git`git checkout base -- ${out}`;
}

function compileStage(mode) {
  return {
    name: `compile-${mode}`,
    does: `compile in mode ${mode}: policy model -> snapshot`,
    needs: ['frontend', 'fsSource', 'compile', 'config', 'version'],
    async setup({ lib, root }) {
      if (!lib.compile.lowerings?.[mode]) throw unavailable(`mode ${mode} is not registered in src/compile/index.ts yet`);
      return frontEnd(lib, root);
    },
    async run({ lib, input }) {
      const r = lib.compile.compile(input, compileOptions(lib, mode));
      if (!r.snapshot) {
        const first = r.diagnostics.find((d) => d.severity === 'error');
        throw new Error(`mode ${mode} does not compile the repository: ${errorsIn(r.diagnostics)} errors, the first: ${first ? `${first.file}:${first.line}: ${first.message}` : '?'}`);
      }
      const s = r.snapshot;
      return { rules: s.rules.length, firewallPolicies: s.policies.length, tags: s.tags.length, addressGroups: s.addressGroups.length, findings: s.findings.length };
    },
  };
}

/** An error that marks the stage as not available (not written or not built yet), not as failed. */
export function unavailable(message) {
  const err = new Error(message);
  err.unavailable = true;
  return err;
}

/** Loads a stage's modules; throws an Error naming the first one that is not built. */
export async function loadModules(projectRoot, needs) {
  const lib = {};
  for (const name of needs) {
    const file = path.join(projectRoot, MODULES[name]);
    try {
      lib[name] = await import(pathToFileURL(file).href);
    } catch (e) {
      if (e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(MODULES[name])) {
        throw unavailable(`not built: ${MODULES[name]} (run npm run build; is ${MODULES[name].replace(/^dist\//, '').replace(/\.js$/, '.ts')} written yet?)`);
      }
      throw e;
    }
  }
  return lib;
}
