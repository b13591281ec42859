/**
 * The loader: policies folder -> Kubernetes objects (plain values with their Origin).
 * It knows files, YAML and the generic shape of a Kubernetes object (apiVersion, kind, `List`);
 * which kinds matter and what their fields mean is the validation's business.
 */
import { cmp, type Diagnostic } from '../diagnostics.js';
import type { Origin, Path } from '../model/source.js';
import type { FileEntry, FileSource } from './file-source.js';
import { describeValue, diagnosticAt, fileDiagnostic } from './report.js';
import { parserPoolFor, type YamlParserPool } from './parse-pool.js';
import { decodeText } from './text.js';
import { documentsOf, parseYamlFile, parseYamlValues, type ParsedDocument, type ParseResult, withoutByteOrderMark } from './yaml-file.js';

/** Extensions `kubectl apply -f DIR` reads (compared exactly, as kubectl does); other files are ignored. */
export const POLICY_FILE_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];
/** Larger files are refused before they are read: no policy file comes near it. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Files read at once: enough to hide I/O latency, few enough to bound memory. */
const READ_CONCURRENCY = 32;

/** A Kubernetes object as written: a mapping with string `apiVersion` and `kind`. */
export interface LoadedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly value: Readonly<Record<string, unknown>>;
  /** Points at the object itself (path `[]`). */
  readonly origin: Origin;
}

export interface LoadResult {
  readonly objects: LoadedObject[];
  readonly diagnostics: Diagnostic[];
  /** Policy files read (by extension), whether or not they held objects. */
  readonly files: number;
}

export function isPolicyFile(path: string): boolean {
  return POLICY_FILE_EXTENSIONS.some((ext) => path.endsWith(ext) && path.length > ext.length && !path.endsWith(`/${ext}`));
}

/** The policy files under `dir`, in byte order of their paths (never file-system order). */
export async function listPolicyFiles(source: FileSource, dir: string): Promise<FileEntry[]> {
  const entries = await source.list(dir);
  return entries.filter((e) => isPolicyFile(e.path)).sort((a, b) => cmp(a.path, b.path));
}

/** Reads every policy file under `dir`. Throws only what `source.list` throws (a missing folder). */
export async function loadObjects(source: FileSource, dir: string): Promise<LoadResult> {
  const files = await listPolicyFiles(source, dir);
  const perFile = await readFiles(source, files, files.filter((f) => !oversized(f)), (f, parser) => loadFile(source, f, parser));
  return {
    objects: perFile.flatMap((f) => f.objects),
    diagnostics: perFile.flatMap((f) => f.diagnostics),
    files: files.length,
  };
}

/**
 * `load` over every file, READ_CONCURRENCY at a time (the next starts as soon as one is done, so
 * reading and parsing overlap), results in the files' order. `toParse`, the files `load` will read
 * and parse (not those refused for size or known already), are asked of the source ahead (a git
 * revision fetches them in one request) and size the parser pool: threads only for what is parsed.
 */
export async function readFiles<T>(
  source: FileSource,
  files: readonly FileEntry[],
  toParse: readonly FileEntry[],
  load: (f: FileEntry, parser: YamlParserPool | undefined) => Promise<T>,
): Promise<T[]> {
  source.prefetch?.(toParse.map((f) => f.path));
  const parser = parserPoolFor(toParse);
  try {
    const out: T[] = new Array(files.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < files.length) {
        const i = next++;
        out[i] = await load(files[i]!, parser);
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, lane));
    return out;
  } finally {
    await parser?.close();
  }
}

/** The objects of one file, and what is wrong with it as a whole. */
export interface FileLoad {
  readonly objects: LoadedObject[];
  readonly diagnostics: Diagnostic[];
}

/** Loads one listed file; a file over MAX_FILE_BYTES is refused unread. */
export async function loadFile(source: FileSource, entry: FileEntry, parser?: YamlParserPool): Promise<FileLoad> {
  const refused = oversized(entry);
  return refused ?? loadBytes(entry.path, await source.read(entry.path), parser);
}

/** The refusal of a file too large to read, or undefined. */
export function oversized(entry: FileEntry): FileLoad | undefined {
  if (entry.size <= MAX_FILE_BYTES) return undefined;
  return failed(fileDiagnostic(entry.path, 'error', `file is ${entry.size} bytes, over the 10 MiB limit for a policy file: split it or move it out of the policies folder`));
}

/** Decodes (UTF-8, no binary) and parses one file's bytes, on the pool's threads when given one. */
export async function loadBytes(file: string, bytes: Buffer, parser?: YamlParserPool): Promise<FileLoad> {
  const decoded = decodeText(bytes);
  if (!decoded.ok) return failed(fileDiagnostic(file, 'error', decoded.message, decoded.line, decoded.col));
  const source = withoutByteOrderMark(decoded.text);
  return objectsOf(file, documentsOf(file, source, parser ? await parser.parse(source) : parseYamlValues(source)));
}

/** Parses one file's text into objects. Exported for callers that hold text already (and tests). */
export function loadText(file: string, text: string): FileLoad {
  return objectsOf(file, parseYamlFile(file, text));
}

function objectsOf(file: string, parsed: ParseResult): FileLoad {
  if (!parsed.ok) {
    const p = parsed.problem;
    return failed(fileDiagnostic(file, 'error', p.message, p.line, p.col));
  }
  const documents = parsed.documents.filter((d) => d.value !== null && d.value !== undefined);
  if (documents.length === 0) {
    // A notice, not an error: `kubectl apply -f empty.yaml` fails with "no objects passed to
    // apply" only because the whole command has nothing to do; `kubectl apply -f DIR` with an
    // empty file among others succeeds. An empty file changes nothing in the compiled result.
    return failed(fileDiagnostic(file, 'notice', 'no Kubernetes objects in this file'));
  }
  const out: FileLoad = { objects: [], diagnostics: [] };
  for (const d of documents) collectObjects(d, [], d.value, out);
  return out;
}

function failed(d: Diagnostic): FileLoad {
  return { objects: [], diagnostics: [d] };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Adds the object at `root` (a document, or an item of a `List`) to `out`, or says why not. */
function collectObjects(d: ParsedDocument, root: Path, value: unknown, out: FileLoad): void {
  const origin: Origin = { doc: d.doc, root, path: [] };
  if (!isMapping(value)) {
    const what = root.length === 0 ? 'a YAML document' : 'a List item';
    out.diagnostics.push(diagnosticAt(origin, 'error', `${what} must be a Kubernetes object (a mapping with apiVersion and kind), not ${describeValue(value)}`));
    return;
  }
  let complete = true;
  for (const field of ['apiVersion', 'kind'] as const) {
    const v = value[field];
    if (v === undefined || v === null || v === '') {
      out.diagnostics.push(diagnosticAt({ ...origin, path: [field] }, 'error', `${field} is required: every Kubernetes object needs apiVersion and kind`));
      complete = false;
    } else if (typeof v !== 'string') {
      out.diagnostics.push(diagnosticAt({ ...origin, path: [field] }, 'error', `must be a string, not ${describeValue(v)}`));
      complete = false;
    }
  }
  if (!complete) return;
  const kind = value.kind as string;
  // `kind: List` (kubectl's), and typed lists (`NetworkPolicyList`): their items are objects.
  if (kind.endsWith('List') && 'items' in value) {
    const items = value.items;
    if (items === null) return;
    if (!Array.isArray(items)) {
      out.diagnostics.push(diagnosticAt({ ...origin, path: ['items'] }, 'error', `must be a list of Kubernetes objects, not ${describeValue(items)}`));
      return;
    }
    items.forEach((item, i) => collectObjects(d, [...root, 'items', i], item, out));
    return;
  }
  out.objects.push({ apiVersion: value.apiVersion as string, kind, value, origin });
}
