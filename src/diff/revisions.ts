/**
 * diffRevisions: the library entry point of `contrail-gitops diff` and of the GitHub Action. Both
 * sides (a git revision for the base; a revision or the working tree for the head) go through the
 * same front end, the same compiler and the same configuration (the current one), are rendered
 * fresh, and are compared; the head's workloads are simulated on both snapshots.
 */
import { cmp, type Diagnostic, UserError } from '../diagnostics.js';
import { compile } from '../compile/index.js';
import type { Config } from '../config/types.js';
import { FrontEndCache, readPolicySet } from '../frontend.js';
import type { FileSource } from '../load/file-source.js';
import { fsSource } from '../load/fs-source.js';
import { gitTreeSource, type GitTreeSource } from '../load/git-source.js';
import type { PolicySet } from '../model/policy.js';
import { loweringOptions } from '../pipeline.js';
import { renderSnapshot } from '../render/index.js';
import { renderFirewallRulesMarkdown } from '../render/markdown.js';
import { renderVncJson } from '../render/vnc.js';
import { MANIFEST, manifestText } from '../render/write.js';
import { buildInventory } from '../simulate/inventory.js';
import { ConnectivityComparer } from './connectivity.js';
import { buildDiffReport, type CompiledSide, type FlowComparer, RULES_TABLE, VNC_SNAPSHOT } from './report.js';
import { countsOf, type DiffResult } from '../report/index.js';

export interface DiffRevisionsOptions {
  /** Repository root (the folder holding contrail-gitops.yaml); may be a folder inside a git work tree. */
  readonly root: string;
  /** Base git revision: a branch, tag or commit sha (the pull request's base sha in CI). */
  readonly base: string;
  /** Head git revision; absent: the working tree. */
  readonly head?: string;
  readonly config: Config;
  /** Skip the connectivity simulation (it is on by default). */
  readonly simulate?: boolean;
}

export async function diffRevisions(options: DiffRevisionsOptions): Promise<DiffResult> {
  const { root, config } = options;
  const baseSource = await gitTreeSource(root, options.base);
  const headTree = options.head !== undefined ? await gitTreeSource(root, options.head) : undefined;
  // A revision without the policies folder is the empty repository (the pull request that adds
  // it); a working tree without it is a mistake, which the front end reports.
  // The base is rendered in full only when it has an output folder, to tell what is stale there.
  const baseRender = (await baseSource.hasFolder(config.output)) ? 'all' : 'report';
  // The head reads again only the files the base does not hold byte for byte.
  const cache = new FrontEndCache();
  const base = await compileSide(baseSource, config, await baseSource.hasFolder(config.policies), baseRender, cache);
  const head = headTree
    ? await compileSide(headTree, config, await headTree.hasFolder(config.policies), 'report', cache)
    : await compileSide(fsSource(root), config, true, 'report', cache);

  let flows: FlowComparer | undefined;
  let noFlowsReason: string | undefined;
  if (options.simulate === false) noFlowsReason = 'simulation turned off';
  else if (base.policySet && head.policySet && base.snapshot && head.snapshot) {
    try {
      const inventory = buildInventory(head.policySet, { podCIDR: config.podCIDR });
      flows = new ConnectivityComparer({ basePolicySet: base.policySet, headPolicySet: head.policySet, inventory });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      noFlowsReason = e.message;
    }
  }

  const report = buildDiffReport({
    base,
    head,
    mode: config.mode,
    cluster: config.cluster,
    podCIDR: config.podCIDR,
    outputDir: config.output,
    baseOutput: await baseOutput(baseSource, config.output, base.rendered),
    ...(flows ? { flows } : {}),
    ...(noFlowsReason ? { noFlowsReason } : {}),
  });
  return { report, counts: countsOf(report) };
}

/**
 * Front end, compiler and renderer over one side. A side whose policies have errors is compiled
 * from its valid objects (the errors are in the report); `readPolicies` false: no policies at all.
 * `render`: `all`, every file a render writes; `report`, only the files the report reads (the
 * rule table and the VNC snapshot: the CN2 resources are most of a render's time).
 */
async function compileSide(
  source: FileSource,
  config: Config,
  readPolicies: boolean,
  render: 'all' | 'report',
  cache: FrontEndCache,
): Promise<CompiledSide> {
  const diagnostics: Diagnostic[] = [];
  let policySet: PolicySet = { policies: [], namespaces: [], workloads: [] };
  if (readPolicies) {
    const front = await readPolicySet(source, config.policies, cache);
    diagnostics.push(...front.diagnostics);
    policySet = front.policySet;
  }
  const compiled = compile(policySet, loweringOptions(config));
  diagnostics.push(...compiled.diagnostics);
  const snapshot = compiled.snapshot;
  return {
    label: source.label,
    policySet,
    diagnostics,
    ...(snapshot
      ? {
          snapshot,
          rendered:
            render === 'all'
              ? renderSnapshot(snapshot, { cn2ApiVersion: config.cn2ApiVersion })
              : new Map([
                  [VNC_SNAPSHOT, renderVncJson(snapshot)],
                  [RULES_TABLE, renderFirewallRulesMarkdown(snapshot)],
                ]),
        }
      : {}),
  };
}

/**
 * What a render of the base writes into the output folder (its files and the manifest of the files
 * it owns, as src/render/write.ts writes it) and what the base revision holds there under those
 * names or under names its committed manifest lists; null when the base has no output folder.
 */
async function baseOutput(
  source: GitTreeSource,
  outputDir: string,
  fresh: ReadonlyMap<string, string> | undefined,
): Promise<{ committed: Map<string, string>; expected: Map<string, string> } | null> {
  if (!fresh || !(await source.hasFolder(outputDir))) return null;
  const expected = new Map([...fresh, [MANIFEST, manifestText(fresh.keys())]]);
  const present = new Set((await source.list(outputDir)).map((e) => e.path.slice(outputDir.length + 1)));
  const read = async (rel: string) => (await source.read(`${outputDir}/${rel}`)).toString('utf8');
  const out = new Map<string, string>();
  const manifest = present.has(MANIFEST) ? await read(MANIFEST) : '';
  const owned = manifest
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const rel of [...new Set([...expected.keys(), ...owned])].sort(cmp)) {
    if (present.has(rel)) out.set(rel, await read(rel));
  }
  return { committed: out, expected };
}
