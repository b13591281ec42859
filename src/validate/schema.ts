/**
 * Decoding a plain YAML value into a typed manifest, as the API server's JSON decoding does
 * before any validation: type errors (a number where a string belongs, a list where a mapping
 * belongs) are errors; fields the type does not have are unknown (a warning, as with
 * `kubectl apply --validate=warn`); `null` means absent, and a `null` list item is the zero value
 * (Go's encoding/json), so `from: [null]` is an empty peer, as the API server sees it.
 */
import { describeValue } from '../load/report.js';
import type { Path } from '../model/source.js';

export interface DecodeContext {
  /** The value at `path` has the wrong type; it is dropped. */
  typeError(path: Path, message: string): void;
  /** The mapping key at `path` is not a field of the type. */
  unknownField(path: Path): void;
}

export interface Decoder<T> {
  /** `undefined` when absent (`null` or missing) or of the wrong type (reported). */
  decode(value: unknown, path: Path, cx: DecodeContext): T | undefined;
  /** What a `null` list item decodes to (Go's zero value), when the type has one. */
  readonly zero?: () => T;
}

const absent = (v: unknown): v is null | undefined => v === null || v === undefined;

export const str: Decoder<string> = {
  decode(value, path, cx) {
    if (absent(value)) return undefined;
    if (typeof value === 'string') return value;
    const hint = typeof value === 'number' || typeof value === 'boolean' ? ' (quote it to make it a string)' : '';
    cx.typeError(path, `must be a string, not ${describeValue(value)}${hint}`);
    return undefined;
  },
  zero: () => '',
};

/** An int32 (ports): YAML `80`, not `"80"` nor `80.5`. */
export const int32: Decoder<number> = {
  decode(value, path, cx) {
    if (absent(value)) return undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) return value;
    cx.typeError(path, `must be an integer, not ${describeValue(value)}`);
    return undefined;
  },
  zero: () => 0,
};

/** Kubernetes IntOrString: an integer, or a string (`"80"` stays the string "80", as in Kubernetes). */
export const intOrString: Decoder<number | string> = {
  decode(value, path, cx) {
    if (absent(value)) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) return value;
    cx.typeError(path, `must be an integer or a string, not ${describeValue(value)}`);
    return undefined;
  },
};

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list; items keep their index (an item of the wrong type is `undefined`). */
export function list<T>(item: Decoder<T>): Decoder<(T | undefined)[]> {
  return {
    decode(value, path, cx) {
      if (absent(value)) return undefined;
      if (!Array.isArray(value)) {
        cx.typeError(path, `must be a list, not ${describeValue(value)}`);
        return undefined;
      }
      return value.map((v, i) => (absent(v) && item.zero ? item.zero() : item.decode(v, [...path, i], cx)));
    },
    zero: () => [],
  };
}

/** A map of strings (labels, annotations). */
export const stringMap: Decoder<Record<string, string>> = {
  decode(value, path, cx) {
    if (absent(value)) return undefined;
    if (!isMapping(value)) {
      cx.typeError(path, `must be a mapping of strings, not ${describeValue(value)}`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      const s = absent(v) ? '' : str.decode(v, [...path, k], cx);
      if (s !== undefined) out[k] = s;
    }
    return out;
  },
  zero: () => ({}),
};

type Fields<T> = { readonly [K in keyof T]-?: Decoder<NonNullable<T[K]>> };

/**
 * A struct. `ignored`: fields of the type the tool does not read (accepted, not checked).
 * `open`: any other field is accepted too (where the tool reads only part of a type, e.g. a
 * Deployment's spec, and must not judge the rest).
 */
export function struct<T extends object>(
  fields: Fields<T>,
  options: { open?: boolean; ignored?: readonly string[] } = {},
): Decoder<T> {
  const known = new Map<string, Decoder<unknown>>(Object.entries(fields) as [string, Decoder<unknown>][]);
  const ignored = new Set(options.ignored);
  const decoder: Decoder<T> = {
    decode(value, path, cx) {
      if (absent(value)) return undefined;
      if (!isMapping(value)) {
        cx.typeError(path, `must be a mapping, not ${describeValue(value)}`);
        return undefined;
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const d = known.get(k);
        if (!d) {
          if (!options.open && !ignored.has(k)) cx.unknownField([...path, k]);
          continue;
        }
        const decoded = d.decode(v, [...path, k], cx);
        if (decoded !== undefined) out[k] = decoded;
      }
      return out as T;
    },
    zero: () => ({}) as T,
  };
  return decoder;
}
