/**
 * js-yaml's `dump(document, YAML_DUMP_OPTIONS)`, byte for byte, for the JSON-like documents the
 * renderers build, without its per-scalar cost. At 44,000 firewall rules, `dump` spent most of
 * render's time deciding each scalar's style (a large Unicode regular expression and the schema's
 * implicit-type resolution, for every string, again and again for the same few thousand strings).
 *
 * Here the block layout (indent 2, sequences indented under their key, first entry of a sequence
 * item on the dash's line, empty collections as `[]` / `{}`) is written directly. A string that
 * is plainly a plain scalar (PLAIN_SAFE, and read back as a string by dump's own schema) is
 * written as it is; any other scalar's text is asked of `dump` itself once and remembered. A one-line scalar in
 * block context below the document's root renders the same at any depth and as a mapping value
 * or a sequence item (only multi-line scalars depend on their indentation), so the remembered
 * text is exact. Anything else (a multi-line string, null, undefined, an empty or scalar root, a
 * class instance, a long key) makes the whole document go through `dump` unchanged.
 */
import { DUMP_SCHEMA, dump } from 'js-yaml';

/** The options every rendered YAML document is dumped with. */
export const YAML_DUMP_OPTIONS = { noRefs: true, lineWidth: -1, sortKeys: false } as const;

const LINE_FEED = 10;

/**
 * A string dump writes as it is: it starts with a letter or digit and holds only characters that
 * YAML never treats specially inside a plain scalar (a colon only when another such character
 * follows), so its plain form is allowed anywhere below the root; and it reads back as a string,
 * not as a number, boolean, null or date (`yes`, `Null`, `0x1F`, `1e3`, `12:30`, `2001-12-14`: the
 * same schema dump quotes them by).
 */
const PLAIN_SAFE = /^[A-Za-z0-9](?:[\w./=-]|:(?=[\w./=-]))*$/;
const STRING_TAG = DUMP_SCHEMA.defaultScalarTag;
function isPlainString(v: string): boolean {
  return PLAIN_SAFE.test(v) && DUMP_SCHEMA.resolveImplicitScalarTag(v).tag === STRING_TAG;
}

/** Thrown inside the fast path for a document it does not handle; never escapes. */
const NOT_HANDLED = Symbol('not handled');

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}

/** The text `dump` gives `line` when it is a whole line of output: one line ending in a line feed. */
function oneLine(text: string, prefixLength: number, suffixLength: number): string {
  if (text.indexOf('\n') !== text.length - 1) throw NOT_HANDLED;
  const body = text.slice(prefixLength, text.length - suffixLength);
  if (body === '' || body.charCodeAt(0) === LINE_FEED) throw NOT_HANDLED;
  return body;
}

export interface YamlDumper {
  /** `dump(document, YAML_DUMP_OPTIONS)`. */
  dump(document: unknown): string;
}

/** A dumper whose scalar texts are remembered for its lifetime (one render: memory is bounded by its distinct scalars). */
export function createYamlDumper(): YamlDumper {
  const strings = new Map<string, string>();
  const numbers = new Map<number, string>();
  const keys = new Map<string, string>();
  const indents: string[] = [];
  const newLine = (level: number): string => (indents[level] ??= `\n${' '.repeat(2 * level)}`);

  function scalarText(v: string | number | boolean): string {
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') {
      // Map keys equate 0 and -0, which dump writes differently.
      if (Object.is(v, -0)) throw NOT_HANDLED;
      let t = numbers.get(v);
      if (t === undefined) numbers.set(v, (t = oneLine(dump([v], YAML_DUMP_OPTIONS), 2, 1)));
      return t;
    }
    // Most strings are names met once (one per rule): not worth remembering when they are written as they are.
    if (isPlainString(v)) return v;
    let t = strings.get(v);
    if (t === undefined) {
      if (v.includes('\n')) throw NOT_HANDLED;
      strings.set(v, (t = oneLine(dump([v], YAML_DUMP_OPTIONS), 2, 1)));
    }
    return t;
  }

  function keyText(k: string): string {
    let t = keys.get(k);
    if (t === undefined) {
      if (k.includes('\n')) throw NOT_HANDLED;
      // `: 0` closes an implicit key; a key dump writes otherwise (explicit `? `, too long) ends differently.
      const text = dump(Object.fromEntries([[k, 0]]), YAML_DUMP_OPTIONS);
      if (!text.endsWith(': 0\n') || text.startsWith('? ')) throw NOT_HANDLED;
      keys.set(k, (t = oneLine(text, 0, 4)));
    }
    return t;
  }

  /** As js-yaml's writeNode in block context at `level`; `compact`: the first entry stays on the current line. */
  function node(v: unknown, level: number, compact: boolean): string {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return scalarText(v);
    if (typeof v !== 'object' || v === null) throw NOT_HANDLED;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      let out = '';
      for (let i = 0; i < v.length; i++) {
        if (!compact || i > 0) out += newLine(level);
        const item = node(v[i], level + 1, true);
        out += item.charCodeAt(0) === LINE_FEED ? '-' : '- ';
        out += item;
      }
      return out;
    }
    if (!isPlainObject(v)) throw NOT_HANDLED;
    const entries = Object.keys(v);
    if (entries.length === 0) return '{}';
    let out = '';
    for (let i = 0; i < entries.length; i++) {
      const k = entries[i]!;
      if (!compact || i > 0) out += newLine(level);
      out += keyText(k);
      const value = node(v[k], level + 1, false);
      out += value.charCodeAt(0) === LINE_FEED ? ':' : ': ';
      out += value;
    }
    return out;
  }

  return {
    dump(document: unknown): string {
      try {
        // A root scalar's style depends on its being at the root; an empty root is rare: both left to dump.
        if (typeof document !== 'object' || document === null || Object.keys(document).length === 0) throw NOT_HANDLED;
        return `${node(document, 0, true)}\n`;
      } catch (e) {
        if (e !== NOT_HANDLED) throw e;
        return dump(document, YAML_DUMP_OPTIONS);
      }
    },
  };
}
