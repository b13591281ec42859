/**
 * The freshness stamp a render writes into the output folder's manifest, so that the diff can tell
 * from git listings alone (no parse, no render) that a revision's committed output is exactly what
 * a fresh render of that revision would write.
 *
 * A render is a deterministic function of three things: the tool's version (GENERATOR), the
 * configuration that reaches the compiler and the renderers, and the bytes (with their paths) of
 * the policy files the front end reads. The inputs stamp hashes exactly those; the outputs stamp
 * hashes the git blob id of every file the render wrote. Equal inputs stamps mean a render now
 * writes what the render that stamped the folder wrote, and equal outputs stamps mean the folder
 * still holds those bytes (git blob ids: equal ids, equal bytes). Anything that changes the bytes
 * on either side (a hand-edited rendered file, a file git filters or converts on commit, a
 * SHA-256 repository) changes an id, and the caller renders in full as it would without a stamp.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config/types.js';
import { cmp } from '../diagnostics.js';
import { gitBlobId } from '../git/blob-id.js';
import type { FileSource } from '../load/file-source.js';
import { listPolicyFiles } from '../load/loader.js';
import { GENERATOR } from '../version.js';

/** One file by its repository-relative path and git blob id. */
export type BlobEntry = readonly [path: string, blob: string];

/**
 * The configuration a render depends on: all of Config but the root (where the repository is on
 * this machine) and the output folder (where the files go, not what they hold). A field added to
 * Config later is part of the stamp unless taken out here, so it can cost a full render, never a
 * wrong answer.
 */
function renderingConfig(config: Config): Record<string, unknown> {
  const { root: _root, output: _output, ...rendering } = config;
  return rendering;
}

/** JSON with every object's keys in byte order: the same value always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => cmp(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;

const sortedEntries = (files: Iterable<BlobEntry>): BlobEntry[] => [...files].sort(([a], [b]) => cmp(a, b));

/** The inputs stamp: GENERATOR, the rendering configuration and the policy files read, by blob id. */
export function inputsStamp(config: Config, policyFiles: Iterable<BlobEntry>): string {
  return sha256(canonicalJson({ config: renderingConfig(config), files: sortedEntries(policyFiles), generator: GENERATOR }));
}

/** The outputs stamp: the rendered files (paths relative to the output folder) by blob id. */
export function outputsStamp(renderedFiles: Iterable<BlobEntry>): string {
  return sha256(canonicalJson(sortedEntries(renderedFiles)));
}

/** The outputs stamp of files given by their contents, as a render holds them before writing. */
export function outputsStampOf(rendered: Iterable<readonly [string, Buffer]>): string {
  return outputsStamp([...rendered].map(([p, bytes]): BlobEntry => [p, gitBlobId(bytes)]));
}

/** The inputs stamp of the policies `source` holds under config.policies (see policyInputs). */
export async function inputsStampOf(source: FileSource, config: Config): Promise<string> {
  return inputsStamp(config, await policyInputs(source, config.policies));
}

/**
 * Every file the front end reads under `policiesDir` (as listPolicyFiles lists them) with its blob
 * id: the one the source knows (a git revision's listing; a RecordingSource's record of what the
 * front end read), else that of its bytes.
 */
export async function policyInputs(source: FileSource, policiesDir: string): Promise<BlobEntry[]> {
  const out: BlobEntry[] = [];
  for (const entry of await listPolicyFiles(source, policiesDir)) {
    out.push([entry.path, source.blobId?.(entry.path) ?? gitBlobId(await source.read(entry.path))]);
  }
  return out;
}
