/**
 * The benchmark's stages, as the child process runs them: each names the library modules it needs
 * (compiled JS under dist/), prepares its input outside the timed part (`setup`), and does the
 * stage's work in `run`, returning counts for the report. A stage whose module is not built yet
 * is reported as not available rather than failing the whole run.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadAll } from 'js-yaml';

/** Stage names in report order. `floor` first: every ratio is to it. */
export const STAGE_NAMES = ['floor', 'load', 'validate', 'compile-cn2', 'compile-exact', 'render', 'diff', 'diff-static', 'verify'];
/** What a run measures unless told otherwise; `diff-static` (the diff without its simulation) is on request. */
export const DEFAULT_STAGES = STAGE_NAMES.filter((s) => s !== 'diff-static');

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
 * @property {Record<string, any>} lib  the modules of `needs`, loaded
 * @property {any} [input]   what setup prepared
 *
 * @typedef {object} Stage
 * @property {string} name
 * @property {string} does   one line for the report
 * @property {(keyof typeof MODULES)[]} needs
 * @property {(ctx: StageContext) => Promise<any>} [setup]
 * @property {(ctx: StageContext) => Promise<Record<string, number>>} run
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
      const config = { ...lib.config.DEFAULT_CONFIG, root };
      const result = await lib.diff.diffRevisions({ root, base: 'base', config, simulate });
      const markdown = lib.report.renderReport(result, { format: 'markdown' });
      const s = result.report.summary;
      return { reportBytes: Buffer.byteLength(markdown), rulesAdded: s.rulesAdded, rulesRemoved: s.rulesRemoved, rulesChanged: s.rulesChanged, flowsOpened: s.flowsOpened, flowsClosed: s.flowsClosed };
    },
  };
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
