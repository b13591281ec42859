/**
 * The base revision's output folder, as the diff's stale-artifact check sees it: what the revision
 * holds there, whether its manifest's stamp proves it is what a render of the base writes now
 * (src/render/stamp.ts), and otherwise what to compare file by file (report.ts, findStale).
 *
 * The shortcut is safe because a render is a deterministic function of what the inputs stamp
 * hashes (GENERATOR, the rendering configuration, the policy files' paths and blob ids): equal
 * stamps, equal renders. It trusts the stamps the manifest carries to have been written by a
 * render; it does not trust the files: their blob ids, from the listing, must hash to the outputs
 * stamp, so a hand-edited rendered file (a new blob id) is still caught, by the full comparison.
 * Someone who rewrites the stamps by hand to match edited files defeats it; the stamp guards
 * against mistakes, not against forgery, and the base is the reviewed branch.
 */
import { cmp } from '../diagnostics.js';
import type { Config } from '../config/types.js';
import type { FileSource } from '../load/file-source.js';
import type { GitTreeSource } from '../load/git-source.js';
import { type BlobEntry, inputsStamp, inputsStampOf, outputsStamp } from '../render/stamp.js';
import { MANIFEST, manifestStamp, manifestText, ownedPaths, withoutStamp } from '../render/write.js';

/** What a revision holds in its output folder: the paths there (relative to it) and the manifest's text. */
export interface CommittedOutput {
  readonly dir: string;
  readonly present: ReadonlySet<string>;
  /** Undefined when the folder has no manifest. */
  readonly manifest: string | undefined;
}

/** The output folder `dir` of the revision; null when the revision has none. Reads the manifest only. */
export async function committedOutput(source: GitTreeSource, dir: string): Promise<CommittedOutput | null> {
  if (!(await source.hasFolder(dir))) return null;
  const present = new Set((await source.list(dir)).map((e) => e.path.slice(dir.length + 1)));
  const manifest = present.has(MANIFEST) ? (await source.read(`${dir}/${MANIFEST}`)).toString('utf8') : undefined;
  return { dir, present, manifest };
}

/**
 * Whether the committed output is, byte for byte, what a render of the revision with `config`
 * writes, shown by the manifest's stamp and the listing's blob ids alone. `policies`: the
 * revision's files as the front end reads them, or null when it has no policies folder (an empty
 * policy set, as a render of an empty folder). False whenever anything differs or is unknown:
 * the caller then compares in full.
 */
export async function stampProvesFresh(
  source: GitTreeSource,
  output: CommittedOutput,
  policies: FileSource | null,
  config: Config,
): Promise<boolean> {
  if (output.manifest === undefined) return false;
  const stamp = manifestStamp(output.manifest);
  if (!stamp) return false; // written before stamps, or by hand
  const listed = ownedPaths(output.manifest);
  // The manifest exactly as a render writes it (else the full comparison reports it stale), and
  // every file it lists present, with the blob ids the render wrote.
  if (output.manifest !== manifestText(listed, stamp)) return false;
  const written: BlobEntry[] = [];
  for (const rel of listed) {
    const blob = output.present.has(rel) ? source.blobId?.(`${output.dir}/${rel}`) : undefined;
    if (blob === undefined) return false;
    written.push([rel, blob]);
  }
  if (outputsStamp(written) !== stamp.outputs) return false;
  const inputs = policies ? await inputsStampOf(policies, config) : inputsStamp(config, []);
  return inputs === stamp.inputs;
}

/**
 * What the stale check compares: `expected`, what a render of the base (`fresh`, every file it
 * writes) puts in the output folder with the manifest of the files it owns; `committed`, what the
 * revision holds under those names or names its manifest lists. The manifest is compared without
 * its stamp lines: they say which render wrote the folder, not what it owns, and a manifest from
 * before stamps is not stale for lacking them.
 */
export async function staleCheckInput(
  source: GitTreeSource,
  output: CommittedOutput,
  fresh: ReadonlyMap<string, string>,
): Promise<{ committed: Map<string, string>; expected: Map<string, string> }> {
  const expected = new Map([...fresh, [MANIFEST, manifestText(fresh.keys())]]);
  const owned = ownedPaths(output.manifest ?? '');
  const committed = new Map<string, string>();
  for (const rel of [...new Set([...expected.keys(), ...owned])].sort(cmp)) {
    if (!output.present.has(rel)) continue;
    const text = rel === MANIFEST ? withoutStamp(output.manifest!) : (await source.read(`${output.dir}/${rel}`)).toString('utf8');
    committed.set(rel, text);
  }
  return { committed, expected };
}
