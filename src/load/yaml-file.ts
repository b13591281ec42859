/**
 * One YAML (or JSON) file, parsed into plain values, with positions on demand.
 *
 * The fast path parses once (`parseEvents` + `constructFromEvents`) and keeps only the text.
 * Positions are needed only when a message is printed, so the path -> offset index is built on
 * the first `position()` call of any document of the file, by parsing the text again: loading a
 * large clean repository pays nothing for them.
 */
import {
  boolYaml11Tag,
  CORE_SCHEMA,
  EVENT_ID,
  getScalarValue,
  mergeTag,
  parseEvents,
  constructFromEvents,
  YAMLException,
  type Event,
} from 'js-yaml';
import type { Position } from '../diagnostics.js';
import type { Path, PathSegment, SourceDocument } from '../model/source.js';

/**
 * Read YAML as kubectl does (sigs.k8s.io/yaml, on go-yaml v2): `<<` merge keys, and YAML 1.1
 * booleans, so `enabled: yes` (or `on`, `y`) is a boolean, and a label value written that way
 * fails as it fails in Kubernetes instead of silently becoming the string "yes".
 */
const SCHEMA = CORE_SCHEMA.withTags(mergeTag, boolYaml11Tag);
/** Collections nested deeper than this are refused (no Kubernetes object comes near it). */
export const MAX_DEPTH = 64;
/** Aliases per document: plenty for hand-written anchors, too few for a "billion laughs". */
export const MAX_ALIASES = 100;
/** Nodes a document may have once aliases are expanded (bounds what a consumer walks). */
export const MAX_EXPANDED_NODES = 100_000;

export interface ParsedDocument {
  readonly doc: SourceDocument;
  /** The constructed value; `null` for a document with no content (only comments). */
  readonly value: unknown;
}

/** A problem found while parsing, with its position in the file (1-based line and column). */
export interface ParseProblem {
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

export type ParseResult = { ok: true; documents: ParsedDocument[] } | { ok: false; problem: ParseProblem };

/** Parses the text of `file` (repository-relative path) into its documents. Never throws. */
export function parseYamlFile(file: string, text: string): ParseResult {
  const source = withoutByteOrderMark(text);
  return documentsOf(file, source, parseYamlValues(source));
}

/** What a parse of one file's text comes to before positions: plain values (structured-cloneable). */
export type ValuesResult = { ok: true; values: unknown[] } | { ok: false; problem: ParseProblem };

/** A byte-order mark is not content; dropping it keeps offsets equal to columns on line 1. */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The parse itself, on text without a byte-order mark: the costly part, and a pure function of the
 * text, so a worker thread can run it (src/load/parse-pool.ts). Never throws.
 */
export function parseYamlValues(source: string): ValuesResult {
  try {
    const events = parseEvents(source, { maxDepth: MAX_DEPTH });
    const tooBig = aliasExpansionProblem(events, source);
    if (tooBig) return { ok: false, problem: tooBig };
    return { ok: true, values: constructFromEvents(events, { source, schema: SCHEMA, maxAliases: MAX_ALIASES }) };
  } catch (e) {
    return { ok: false, problem: yamlProblem(e, source) };
  }
}

/** The documents of `file` from its parsed values; positions come from `source` when asked for. */
export function documentsOf(file: string, source: string, parsed: ValuesResult): ParseResult {
  if (!parsed.ok) return parsed;
  const positions = new FilePositions(source);
  return {
    ok: true,
    documents: parsed.values.map((value, index) => ({ doc: new YamlDocument(file, index, positions), value })),
  };
}

function yamlProblem(e: unknown, source: string): ParseProblem {
  if (e instanceof YAMLException) {
    const pos = e.mark ? new LineTable(source).at(e.mark.position) : { line: 1, col: 1 };
    return { ...pos, message: `invalid YAML: ${e.reason}` };
  }
  // js-yaml documents that other exceptions are possible; they are still about the input.
  return { line: 1, col: 1, message: `invalid YAML: ${e instanceof Error ? e.message : String(e)}` };
}

/**
 * Aliases are constructed as shared references, so memory stays small, but anything that walks
 * the value (validation, the compiler) walks the expansion. Refuse a document whose expansion is
 * out of proportion. Computed on the events without constructing anything; free without aliases.
 */
function aliasExpansionProblem(events: Event[], source: string): ParseProblem | undefined {
  if (!events.some((e) => e.type === EVENT_ID.ALIAS)) return undefined;
  // Size (in nodes, expanded) of each anchored node; a stack of open collections' running sizes.
  const anchored = new Map<string, number>();
  const stack: { size: number; anchor?: string }[] = [];
  let docTotal = 0;
  const add = (n: number, at: number): ParseProblem | undefined => {
    const top = stack[stack.length - 1];
    if (top) top.size += n;
    else docTotal += n;
    if ((top?.size ?? docTotal) > MAX_EXPANDED_NODES) {
      return {
        ...new LineTable(source).at(at),
        message: `YAML aliases expand to more than ${MAX_EXPANDED_NODES} nodes: refused (a "billion laughs" document?)`,
      };
    }
    return undefined;
  };
  let lastStart = 0;
  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        docTotal = 0;
        anchored.clear();
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        lastStart = e.start;
        stack.push({ size: 1, anchor: e.anchorStart >= 0 ? source.slice(e.anchorStart, e.anchorEnd) : undefined });
        break;
      case EVENT_ID.SCALAR: {
        if (e.valueStart >= 0) lastStart = e.valueStart;
        if (e.anchorStart >= 0) anchored.set(source.slice(e.anchorStart, e.anchorEnd), 1);
        const p = add(1, lastStart);
        if (p) return p;
        break;
      }
      case EVENT_ID.ALIAS: {
        const p = add(anchored.get(source.slice(e.anchorStart, e.anchorEnd)) ?? 1, e.anchorStart);
        if (p) return p;
        break;
      }
      case EVENT_ID.POP: {
        const done = stack.pop();
        if (done) {
          if (done.anchor !== undefined) anchored.set(done.anchor, done.size);
          const p = add(done.size, lastStart);
          if (p) return p;
        }
        break;
      }
    }
  }
  return undefined;
}

/** Offsets -> 1-based line and column, by binary search over the offsets where lines start. */
export class LineTable {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  at(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo] + 1 };
  }
}

/** Where a node starts: its key (for mapping entries) and its value. */
interface NodeOffsets {
  key: number;
  value: number;
}

/** The path -> offsets index of every document of one file, and its line table, built on first use. */
class FilePositions {
  private index: Map<string, NodeOffsets>[] | undefined;
  private lineTable: LineTable | undefined;
  constructor(private readonly source: string) {}

  get lines(): LineTable {
    return (this.lineTable ??= new LineTable(this.source));
  }

  offsets(docIndex: number, path: Path): NodeOffsets | undefined {
    this.index ??= buildIndex(this.source);
    return this.index[docIndex]?.get(pathKey(path));
  }
}

function pathKey(path: Path): string {
  let k = '';
  for (const seg of path) k += typeof seg === 'number' ? `\u0000#${seg}` : `\u0000${seg}`;
  return k;
}

/** Start of a node's text: its anchor or tag when it has one, the opening quote of a quoted scalar. */
function nodeStart(e: Event, source: string): number {
  let start = -1;
  if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) start = e.start;
  else if (e.type === EVENT_ID.SCALAR) {
    start = e.valueStart;
    if (start > 0 && (source[start - 1] === '"' || source[start - 1] === "'")) start -= 1;
  } else if (e.type === EVENT_ID.ALIAS) start = e.anchorStart - 1;
  if (e.type !== EVENT_ID.ALIAS && e.type !== EVENT_ID.POP && e.type !== EVENT_ID.DOCUMENT) {
    if (e.anchorStart >= 0 && (start < 0 || e.anchorStart - 1 < start)) start = e.anchorStart - 1;
    if (e.tagStart >= 0 && (start < 0 || e.tagStart < start)) start = e.tagStart;
  }
  return start;
}

/** An open collection while indexing: a mapping waits for a key or a value, a sequence counts items. */
type Frame =
  | { kind: 'map'; path: PathSegment[]; key?: string; keyAt: number; expectKey: boolean }
  | { kind: 'seq'; path: PathSegment[]; next: number };

/** Keys that are collections cannot be named by a path; what is under them is indexed out of reach. */
const COMPLEX_KEY = '\u0000complex';

function buildIndex(source: string): Map<string, NodeOffsets>[] {
  const docs: Map<string, NodeOffsets>[] = [];
  // The parse already succeeded once on this exact text; it cannot fail now.
  const events = parseEvents(source, { maxDepth: MAX_DEPTH });
  let map = new Map<string, NodeOffsets>();
  const stack: Frame[] = [];
  /** The path of the node that starts now, and its key offset; advances the parent's state. */
  const place = (): { path: PathSegment[]; keyAt: number } | 'key' => {
    const top = stack[stack.length - 1];
    if (!top) return { path: [], keyAt: -1 };
    if (top.kind === 'seq') return { path: [...top.path, top.next++], keyAt: -1 };
    if (top.expectKey) return 'key';
    top.expectKey = true;
    return { path: [...top.path, top.key ?? ''], keyAt: top.keyAt };
  };
  for (const e of events) {
    if (e.type === EVENT_ID.DOCUMENT) {
      map = new Map();
      docs.push(map);
      continue;
    }
    if (e.type === EVENT_ID.POP) {
      stack.pop();
      continue;
    }
    const where = place();
    if (where === 'key') {
      const top = stack[stack.length - 1] as Extract<Frame, { kind: 'map' }>;
      top.expectKey = false;
      top.key = e.type === EVENT_ID.SCALAR ? getScalarValue(source, e) : COMPLEX_KEY;
      top.keyAt = nodeStart(e, source);
      if (e.type === EVENT_ID.MAPPING) stack.push({ kind: 'map', path: [COMPLEX_KEY], keyAt: -1, expectKey: true });
      else if (e.type === EVENT_ID.SEQUENCE) stack.push({ kind: 'seq', path: [COMPLEX_KEY], next: 0 });
      continue;
    }
    const value = nodeStart(e, source);
    map.set(pathKey(where.path), { key: where.keyAt >= 0 ? where.keyAt : value, value: value >= 0 ? value : where.keyAt });
    if (e.type === EVENT_ID.MAPPING) stack.push({ kind: 'map', path: where.path, keyAt: -1, expectKey: true });
    else if (e.type === EVENT_ID.SEQUENCE) stack.push({ kind: 'seq', path: where.path, next: 0 });
  }
  return docs;
}

/** One document of a YAML file: resolves positions through the file's shared index. */
class YamlDocument implements SourceDocument {
  constructor(
    readonly file: string,
    readonly index: number,
    private readonly positions: FilePositions,
  ) {}

  position(path: Path): Position {
    return this.resolve(path, 'value');
  }

  keyPosition(path: Path): Position {
    return this.resolve(path, 'key');
  }

  private resolve(path: Path, which: keyof NodeOffsets): Position {
    // The nearest existing ancestor stands in for an absent node (or one under an alias).
    for (let n = path.length; n >= 0; n--) {
      const o = this.positions.offsets(this.index, n === path.length ? path : path.slice(0, n));
      const offset = o ? (n === path.length ? o[which] : o.value) : -1;
      if (offset >= 0) return { file: this.file, ...this.positions.lines.at(offset) };
    }
    return { file: this.file, line: 1, col: 1 };
  }
}
