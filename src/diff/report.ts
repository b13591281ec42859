/**
 * Assembles the DiffReport from the two compiled sides: the structural diff, risk flags,
 * divergences the change introduces, the head's diagnostics, stale committed artifacts, the
 * unified diff of the rendered rule table, and (when a simulator is given) the connectivity
 * change and whether each order change alters a verdict.
 */
import { createHash } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import { cmp, type Diagnostic, sortDiagnostics } from '../diagnostics.js';
import type { PolicySet } from '../model/policy.js';
import type { Snapshot } from '../snapshot/model.js';
import { introducedFindings } from './findings.js';
import { withBasePolicyOrder, withBaseRuleOrder } from './order.js';
import { findRisks, sortRisks } from './risks.js';
import { diffSnapshots, policyOrder, type SnapshotDiff } from './snapshot-diff.js';
import {
  type ConnectivityDiff,
  DIFF_REPORT_VERSION,
  type DiffReport,
  type DiffSummary,
  type FirewallPolicyDiff,
  type PolicySetDiff,
  type Risk,
  type StaleArtifacts,
} from './types.js';

/** One side of the comparison, compiled. */
export interface CompiledSide {
  /** `origin/main (3f2c1a9)`, `working tree`. */
  readonly label: string;
  readonly policySet?: PolicySet;
  /** Absent when the side does not compile. */
  readonly snapshot?: Snapshot;
  /** Front end and compiler diagnostics. */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * A fresh render of the snapshot, path relative to the output folder -> content: at least
   * RULES_TABLE and VNC_SNAPSHOT (what the report reads of a side); every file a render writes
   * where the staleness of the output folder is checked file by file (the base, when it has that
   * folder and its manifest's stamp does not prove it fresh: see base-output.ts).
   */
  readonly rendered?: ReadonlyMap<string, string>;
}

/**
 * What the simulator answers for the diff (see connectivity.ts). Kept as an interface so that the
 * report can be built where no simulation is wanted or possible.
 */
export interface FlowComparer {
  /** Flows the head opens and closes compared with the base. */
  compare(base: Snapshot, head: Snapshot): ConnectivityDiff;
  /** Do both snapshots give the same verdict on every probe? */
  sameVerdicts(a: Snapshot, b: Snapshot): boolean;
  /** Risk flags only the inventory can tell (a NetworkPolicy that now selects more pods). */
  inventoryRisks?(): Risk[];
}

export interface ReportInput {
  readonly base: CompiledSide;
  readonly head: CompiledSide;
  readonly mode: DiffReport['mode'];
  readonly cluster: string;
  readonly podCIDR: string;
  /** Output folder, repository-relative (`rendered`). */
  readonly outputDir: string;
  /**
   * The base's output folder (paths relative to it): `expected` is what rendering the base writes
   * there now, `committed` what the base revision holds under the paths a render owns. Null when
   * the base has no output folder (nothing was ever rendered there, so nothing can be stale), and
   * when the manifest's stamp proves the folder fresh (nothing is stale).
   */
  readonly baseOutput: {
    readonly committed: ReadonlyMap<string, string>;
    readonly expected: ReadonlyMap<string, string>;
  } | null;
  readonly flows?: FlowComparer;
  /** Why there is no simulation, when `flows` is absent. */
  readonly noFlowsReason?: string;
}

/** The rendered human table whose unified diff the report carries. */
export const RULES_TABLE = 'firewall-rules.md';
/** The rendered VNC snapshot whose sha256 the report gives. */
export const VNC_SNAPSHOT = 'contrail/vnc.json';
/** Beyond this many changed lines the unified diff is not computed (Myers' diff is O(N·D)). */
export const MAX_PATCH_EDITS = 2000;
/** Order changes each tested with a counterfactual snapshot; beyond this many, they are not tested. */
const MAX_ORDER_TESTS = 8;

const EMPTY_DIFF: SnapshotDiff = {
  firewallPolicies: [],
  unreferencedRules: null,
  tags: { added: [], removed: [] },
  addressGroups: { added: [], removed: [], changed: [] },
  policySets: [],
  matchings: new Map(),
};

export function buildDiffReport(input: ReportInput): DiffReport {
  const { base, head } = input;
  const problems: string[] = [];
  const errors = (s: CompiledSide) => s.diagnostics.filter((d) => d.severity === 'error').length;
  if (!base.snapshot) {
    problems.push(
      `${base.label} does not compile with the current compiler and configuration (${errors(base)} errors): its rules cannot be compared. Run contrail-gitops validate on it to see why.`,
    );
  }
  if (!head.snapshot) problems.push(`${head.label} does not compile (${errors(head)} errors, listed below): nothing can be compared.`);
  if (base.snapshot && errors(base)) {
    problems.push(`${base.label} has ${errors(base)} errors with the current compiler: the objects with errors are left out of its side.`);
  }
  if (head.snapshot && errors(head)) {
    problems.push(`${head.label} has ${errors(head)} errors (listed below): the objects with errors are left out of its side, so their rules show as removed.`);
  }

  const both = base.snapshot && head.snapshot ? { base: base.snapshot, head: head.snapshot } : undefined;
  const structural = both ? diffSnapshots(both.base, both.head) : EMPTY_DIFF;

  let connectivity: ConnectivityDiff = {
    evaluated: false,
    reason: input.noFlowsReason ?? (both ? 'no simulator given' : 'a side does not compile'),
    probes: 0,
    synthesized: false,
    opened: [],
    closed: [],
    notEnforced: [],
  };
  let firewallPolicies: readonly FirewallPolicyDiff[] = structural.firewallPolicies;
  let policySets: readonly PolicySetDiff[] = structural.policySets;
  if (both && input.flows) {
    connectivity = input.flows.compare(both.base, both.head);
    ({ firewallPolicies, policySets } = testOrderChanges(structural, both.base, both.head, input.flows));
  }

  const risks = both
    ? sortRisks([
        ...findRisks([...firewallPolicies, ...(structural.unreferencedRules ? [structural.unreferencedRules] : [])], {
          base: both.base,
          head: both.head,
          podCIDR: input.podCIDR,
        }),
        ...(input.flows?.inventoryRisks?.() ?? []),
      ])
    : [];
  const divergences = head.snapshot ? introducedFindings(base.snapshot, head.snapshot) : [];
  const headDiagnostics = sortDiagnostics(head.diagnostics.filter((d) => d.severity !== 'notice'));
  const staleArtifacts = findStale(input);
  const renderedDiff = renderedRulesDiff(input);

  const all = [...firewallPolicies, ...(structural.unreferencedRules ? [structural.unreferencedRules] : [])];
  const count = (kind: 'added' | 'removed' | 'changed') => all.reduce((n, fp) => n + fp.rules.filter((c) => c.kind === kind).length, 0);
  const summary: DiffSummary = {
    rulesAdded: count('added'),
    rulesRemoved: count('removed'),
    rulesChanged: count('changed'),
    rulesRenamed: all.reduce((n, fp) => n + fp.renamed.length, 0),
    rulesResequenced: all.reduce((n, fp) => n + fp.resequenced, 0),
    rulesMoved: all.reduce((n, fp) => n + fp.moved.length, 0),
    firewallPoliciesAdded: firewallPolicies.filter((fp) => fp.status === 'added').length,
    firewallPoliciesRemoved: firewallPolicies.filter((fp) => fp.status === 'removed').length,
    flowsOpened: connectivity.opened.length,
    flowsClosed: connectivity.closed.length,
    risks: risks.length,
    divergences: divergences.length,
    headErrors: head.diagnostics.filter((d) => d.severity === 'error').length,
    noChange: false,
  };
  const noChange =
    problems.length === 0 &&
    all.length === 0 &&
    structural.tags.added.length + structural.tags.removed.length === 0 &&
    structural.addressGroups.added.length + structural.addressGroups.removed.length + structural.addressGroups.changed.length === 0 &&
    policySets.length === 0 &&
    connectivity.opened.length + connectivity.closed.length + connectivity.notEnforced.length === 0 &&
    divergences.length === 0 &&
    summary.headErrors === 0 &&
    staleArtifacts === null &&
    renderedDiff === null;

  return {
    kind: 'ContrailDiffReport',
    version: DIFF_REPORT_VERSION,
    mode: input.mode,
    cluster: input.cluster,
    base: { label: base.label, snapshotSha256: sha256Of(base) },
    head: { label: head.label, snapshotSha256: sha256Of(head) },
    summary: { ...summary, noChange },
    firewallPolicies,
    unreferencedRules: structural.unreferencedRules,
    tags: structural.tags,
    addressGroups: structural.addressGroups,
    policySets,
    connectivity,
    risks,
    divergences,
    headDiagnostics,
    problems,
    staleArtifacts,
    renderedDiff,
  };
}

function sha256Of(side: CompiledSide): string | null {
  const vnc = side.snapshot ? side.rendered?.get(VNC_SNAPSHOT) : undefined;
  return vnc === undefined ? null : createHash('sha256').update(vnc, 'utf8').digest('hex');
}

/**
 * Each order change, tested alone: the head with that one order put back as on the base. Same
 * verdicts on every probe: the move does not change behaviour. The first MAX_ORDER_TESTS only.
 */
function testOrderChanges(
  d: SnapshotDiff,
  base: Snapshot,
  head: Snapshot,
  flows: FlowComparer,
): { firewallPolicies: FirewallPolicyDiff[]; policySets: PolicySetDiff[] } {
  let budget = MAX_ORDER_TESTS;
  const firewallPolicies = d.firewallPolicies.map((fp) => {
    const matching = d.matchings.get(fp.name);
    if (!fp.moved.length || !matching || budget <= 0) return fp;
    budget--;
    return { ...fp, orderChangesBehaviour: !flows.sameVerdicts(head, withBaseRuleOrder(head, fp.name, matching)) };
  });
  const baseSets = new Map(base.policySets.map((s) => [s.name, s]));
  const policySets = d.policySets.map((s) => {
    const old = baseSets.get(s.name);
    if (!s.moved.length || !old || budget <= 0) return s;
    budget--;
    return { ...s, orderChangesBehaviour: !flows.sameVerdicts(head, withBasePolicyOrder(head, s.name, policyOrder(old))) };
  });
  return { firewallPolicies, policySets };
}

function findStale(input: ReportInput): StaleArtifacts | null {
  if (!input.baseOutput || !input.base.snapshot) return null;
  const { committed, expected: fresh } = input.baseOutput;
  const changed: string[] = [];
  const missing: string[] = [];
  const extra: string[] = [];
  for (const [p, content] of fresh) {
    const was = committed.get(p);
    if (was === undefined) missing.push(p);
    else if (was !== content) changed.push(p);
  }
  for (const p of committed.keys()) if (!fresh.has(p)) extra.push(p);
  if (!changed.length && !missing.length && !extra.length) return null;
  return { dir: input.outputDir, changed: changed.sort(cmp), missing: missing.sort(cmp), extra: extra.sort(cmp) };
}

function renderedRulesDiff(input: ReportInput): DiffReport['renderedDiff'] {
  const before = input.base.rendered?.get(RULES_TABLE);
  const after = input.head.rendered?.get(RULES_TABLE);
  if (before === undefined || after === undefined || before === after) return null;
  const file = `${input.outputDir}/${RULES_TABLE}`;
  if (lineChangesAtLeast(before, after) > MAX_PATCH_EDITS) return { file, patch: null, omitted: tooLarge(file) };
  const patch = createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, {
    context: 3,
    maxEditLength: MAX_PATCH_EDITS,
  });
  if (patch === undefined) return { file, patch: null, omitted: tooLarge(file) };
  // The `Index:`/`===` preamble says nothing a reader needs; start at the `---` header as git does.
  return { file, patch: patch.slice(patch.indexOf('--- ')) };
}

const tooLarge = (file: string): string => `more than ${MAX_PATCH_EDITS} lines changed; run git diff on ${file} once it is rendered`;

/**
 * A lower bound of the lines a diff must add or remove: the multiset difference of the two line
 * lists. Cheap (linear), and lets a huge change skip a diff that would be cut anyway.
 */
function lineChangesAtLeast(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const line of a.split('\n')) counts.set(line, (counts.get(line) ?? 0) + 1);
  for (const line of b.split('\n')) counts.set(line, (counts.get(line) ?? 0) - 1);
  let n = 0;
  for (const c of counts.values()) n += Math.abs(c);
  return n;
}
