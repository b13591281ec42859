#!/usr/bin/env node
/**
 * Generates a realistic, seeded policy repository for tests and benchmarks:
 *
 *   node scripts/generate.mjs --out DIR --namespaces N --policies M [--pods P] [--seed S] [--change-percent 1]
 *
 * DIR becomes a git repository with two commits: `base` (N application namespaces plus the
 * platform ones, P workloads, M NetworkPolicies) and `head` (about --change-percent % of the
 * policies changed). The same flags give byte-identical files and the same commit ids.
 */
import { parseFlags, wholeNumber } from './lib/cli-args.mjs';
import { generateRepository } from './lib/policy-repo/index.mjs';

const USAGE = `usage: node scripts/generate.mjs --out DIR --namespaces N --policies M [--pods P] [--seed S] [--change-percent PCT]

  --out DIR            folder to create (new or empty): a git repository with tags base and head
  --namespaces N       application namespaces (default: policies / 20, at least 1); kube-system,
                       ingress-nginx and monitoring come on top
  --policies M         NetworkPolicies in the base revision
  --pods P             workloads (Deployments and StatefulSets, one pod template each) in the
                       application namespaces (default: 2 x policies, at least N)
  --seed S             any text (default 1): the same seed gives the same bytes
  --change-percent PCT share of the policies the head revision changes (default 1)`;

const { flags, problems } = parseFlags(process.argv.slice(2), {
  strings: ['out', 'namespaces', 'policies', 'pods', 'seed', 'change-percent'],
  booleans: ['help'],
  defaults: { seed: '1', 'change-percent': '1' },
});
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const policies = wholeNumber(flags.policies);
const namespaces = flags.namespaces === undefined ? Math.max(1, Math.ceil(policies / 20)) : wholeNumber(flags.namespaces);
const pods = flags.pods === undefined ? Math.max(namespaces, 2 * policies) : wholeNumber(flags.pods);
const changePercent = /^\d+(\.\d+)?$/.test(flags['change-percent']) ? Number(flags['change-percent']) : NaN;
if (flags.policies === undefined) problems.push('--policies is required');
if (flags.out === undefined) problems.push('--out is required');

try {
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const r = await generateRepository({ out: flags.out ?? '', namespaces, policies, pods, seed: flags.seed, changePercent });
  const c = r.changes;
  console.log(
    [
      `${r.root}: git repository, branch main`,
      `  base ${r.base}: ${r.baseStats.namespaces} namespaces, ${r.baseStats.workloads} workloads, ${r.baseStats.policies} NetworkPolicies, ${r.baseStats.files} files`,
      `  head ${r.head}: ${c.changed.length} policies changed (${c.portsChanged} ports changed, ${c.peersAdded} peers added, ${c.peersRemoved} peers removed, ${c.added} added, ${c.removed} removed)`,
    ].join('\n'),
  );
} catch (e) {
  console.error(`generate: ${e.message}\n\n${USAGE}`);
  process.exit(2);
}
