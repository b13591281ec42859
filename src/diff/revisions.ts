/**
 * diffRevisions: the library entry point of `contrail-gitops diff` and of the GitHub Action. Both
 * sides (a git revision for the base; a revision or the working tree for the head) go through the
 * same front end, the same compiler and the same configuration (the current one), are rendered
 * fresh, and are compared; the head's workloads are simulated on both snapshots.
 */
import { type Diagnostic, UserError } from '../diagnostics.js';
import { compile } from '../compile/index.js';
import type { Config } from '../config/types.js';
import { FrontEndCache, readPolicySet } from '../frontend.js';
import type { FileSource } from '../load/file-source.js';
import { fsSource } from '../load/fs-source.js';
import { gitTreeSource } from '../load/git-source.js';
import { RecordingSource } from '../load/recording-source.js';
import type { PolicySet } from '../model/policy.js';
import { loweringOptions } from '../pipeline.js';
import { renderSnapshot } from '../render/index.js';
import { renderFirewallRulesMarkdown } from '../render/markdown.js';
import { renderVncJson } from '../render/vnc.js';
import { buildInventory } from '../simulate/inventory.js';
import { committedOutput, staleCheckInput, stampProvesFresh } from './base-output.js';
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

/**
 * How the base's output folder was checked for stale files: `none`, the base has no output folder;
 * `stamp`, its manifest's stamp proves it is what a render of the base writes (base-output.ts), so
 * the base was rendered only as far as the report reads; `rendered`, the base was rendered in full
 * and compared file by file. Not part of the report, which is the same either way.
 */
export type BaseOutputCheck = 'none' | 'stamp' | 'rendered';

export interface RevisionsDiff extends DiffResult {
  readonly baseOutputCheck: BaseOutputCheck;
}

export async function diffRevisions(options: DiffRevisionsOptions): Promise<RevisionsDiff> {
  const { root, config } = options;
  const baseSource = await gitTreeSource(root, options.base);
  const headTree = options.head !== undefined ? await gitTreeSource(root, options.head) : undefined;
  // A revision without the policies folder is the empty repository (the pull request that adds
  // it); a working tree without it is a mistake, which the front end reports.
  const baseHasPolicies = await baseSource.hasFolder(config.policies);
  // The stamp check and the front end list the base's policies once between them.
  const baseFiles = new RecordingSource(baseSource);
  // The base is rendered in full only when it has an output folder whose freshness its stamp does
  // not prove, to tell what is stale there.
  const output = await committedOutput(baseSource, config.output);
  const baseOutputCheck: BaseOutputCheck =
    output === null ? 'none' : (await stampProvesFresh(baseSource, output, baseHasPolicies ? baseFiles : null, config)) ? 'stamp' : 'rendered';
  // The head reads again only the files the base does not hold byte for byte.
  const cache = new FrontEndCache();
  const base = await compileSide(baseFiles, config, baseHasPolicies, baseOutputCheck === 'rendered' ? 'all' : 'report', cache);
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
    baseOutput: baseOutputCheck === 'rendered' && output && base.rendered ? await staleCheckInput(baseSource, output, base.rendered) : null,
    ...(flows ? { flows } : {}),
    ...(noFlowsReason ? { noFlowsReason } : {}),
  });
  return { report, counts: countsOf(report), baseOutputCheck };
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
