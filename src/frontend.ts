/**
 * The front end: policies folder -> validated, defaulted policy model. Load (walk, parse,
 * extract objects), validate as the Kubernetes API server does, default and normalise. Both
 * sides of a diff (working tree, base revision) go through here.
 *
 * Everything up to the folder rules is done file by file and depends on the file's path and bytes
 * only; a FrontEndCache keeps that work by (path, git blob id), so the second side of a diff parses
 * only the files the pull request changed.
 */
import { sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { gitBlobId } from './git/blob-id.js';
import type { FileEntry, FileSource } from './load/file-source.js';
import { type FileLoad, listPolicyFiles, loadBytes, oversized, readFiles } from './load/loader.js';
import type { YamlParserPool } from './load/parse-pool.js';
import type { PolicySet } from './model/policy.js';
import { type ModelObject, toPolicySet } from './validate/normalize.js';
import { type CheckedObject, checkFolder, checkObjects, type ValidatedObject } from './validate/validate.js';

export interface FrontEndResult {
  /** The valid objects only, when `diagnostics` has errors (callers stop on errors anyway). */
  readonly policySet: PolicySet;
  /** Errors, warnings and notices, sorted by file, line and column. */
  readonly diagnostics: Diagnostic[];
  /** Policy files read (`.yaml`, `.yml`, `.json`). */
  readonly files: number;
  /** Objects of each kept kind, e.g. `{ NetworkPolicy: 3, Namespace: 2 }`. */
  readonly objects: Record<string, number>;
}

/** One file through the per-file stages: its load problems and its objects, each checked alone. */
interface FileFront {
  readonly load: FileLoad;
  readonly checked: readonly CheckedObject[];
}

/**
 * Per-file front-end results by (path, git blob id), and each valid object's model, for reading
 * several revisions of one repository in one process. The path is part of the key because every
 * message and origin names it.
 */
export class FrontEndCache {
  private readonly files = new Map<string, FileFront>();
  readonly models = new WeakMap<ValidatedObject, ModelObject>();
  /** Files whose per-file work was done, and files found here. */
  readonly stats = { parsed: 0, reused: 0 };

  async file(source: FileSource, entry: FileEntry, parser?: YamlParserPool): Promise<FileFront> {
    const refused = oversized(entry);
    if (refused) return frontOf(refused);
    const hit = this.known(source, entry);
    if (hit) return this.reused(hit);
    const bytes = await source.read(entry.path);
    // A source may learn the id by reading (a RecordingSource hashes what it reads): asked again.
    const k = key(entry.path, source.blobId?.(entry.path) ?? gitBlobId(bytes));
    const found = this.files.get(k);
    if (found) return this.reused(found);
    const front = frontOf(await loadBytes(entry.path, bytes, parser));
    this.files.set(k, front);
    this.stats.parsed++;
    return front;
  }

  /** Of `files`, those `file` would read and parse: not refused for size, not known here by their blob id. */
  unread(source: FileSource, files: readonly FileEntry[]): FileEntry[] {
    return files.filter((f) => !oversized(f) && !this.known(source, f));
  }

  /** The front of a file found by the blob id its source knows without reading it. */
  private known(source: FileSource, entry: FileEntry): FileFront | undefined {
    const blob = source.blobId?.(entry.path);
    return blob === undefined ? undefined : this.files.get(key(entry.path, blob));
  }

  private reused(front: FileFront): FileFront {
    this.stats.reused++;
    return front;
  }
}

const key = (path: string, blob: string): string => `${path}\u0000${blob}`;

function frontOf(load: FileLoad): FileFront {
  return { load, checked: checkObjects(load.objects) };
}

/**
 * Reads the policies folder `policiesDir` (repository-relative) of `source`; `cache` keeps the
 * per-file work for a later revision. Problems in the files are diagnostics; it throws (UserError)
 * only when the folder cannot be listed or CONTRAIL_GITOPS_PARSE_THREADS is not a number.
 */
export async function readPolicySet(source: FileSource, policiesDir: string, cache = new FrontEndCache()): Promise<FrontEndResult> {
  const files = await listPolicyFiles(source, policiesDir);
  const fronts = await readFiles(source, files, cache.unread(source, files), (f, parser) => cache.file(source, f, parser));
  const validated = checkFolder(fronts.flatMap((f) => f.checked));
  return {
    policySet: toPolicySet(validated.valid, cache.models),
    diagnostics: sortDiagnostics([...fronts.flatMap((f) => f.load.diagnostics), ...validated.diagnostics]),
    files: files.length,
    objects: validated.counts,
  };
}
