/**
 * Where a value came from. Every model node keeps an Origin (its document and the path inside
 * it); the position (line, column) is resolved on demand by the document, so the fast path of
 * loading a large repository never pays for position bookkeeping it does not print.
 */
import type { Position } from '../diagnostics.js';

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export interface SourceDocument {
  /** Repository-relative path with forward slashes, e.g. `policies/shop/db.yaml`. */
  readonly file: string;
  /** Index of the YAML document in the file (0 for the first). */
  readonly index: number;
  /** Position of the value at `path` (a key's value; the nearest existing ancestor when absent). */
  position(path: Path): Position;
  /** Position of the key `path` names (for messages about the key itself, e.g. unknown fields). */
  keyPosition(path: Path): Position;
}

export interface Origin {
  readonly doc: SourceDocument;
  /** Path of the Kubernetes object inside the document: [] at top level, ['items', i] in a `kind: List`. */
  readonly root: Path;
  /** Path of the value inside that object: ['spec', 'ingress', 0, 'from', 1]. */
  readonly path: Path;
}

export function at(origin: Origin, ...more: PathSegment[]): Origin {
  return { doc: origin.doc, root: origin.root, path: [...origin.path, ...more] };
}

export function positionOf(origin: Origin): Position {
  return origin.doc.position([...origin.root, ...origin.path]);
}

export function keyPositionOf(origin: Origin): Position {
  return origin.doc.keyPosition([...origin.root, ...origin.path]);
}

/** kubectl-style field path relative to an object root: `spec.ingress[0].from[1].ipBlock`. */
export function fieldPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}
