/**
 * GitHub's REST API description (@octokit/openapi, OpenAPI 3.0.3) as a checker for the fake
 * server: which operation a method + path is (path templates, literal segments before
 * parameters, as GitHub routes), whether its path and query parameters and its JSON body are
 * what the description allows, and whether a response body fits the described schema. The JSON
 * Schema subset is the one the description uses: type, nullable, enum, required, properties,
 * additionalProperties, items, oneOf/anyOf/allOf, $ref, min/max, lengths, pattern.
 */
import { createRequire } from 'node:module';

type Schema = Record<string, any>;

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: Schema;
}

export interface Operation {
  readonly method: string;
  readonly template: string;
  readonly operationId: string;
  readonly parameters: readonly Parameter[];
  readonly requestBody?: { readonly required?: boolean; readonly schema?: Schema };
  readonly responses: Readonly<Record<string, Schema | undefined>>;
}

export interface RouteMatch {
  readonly operation: Operation;
  readonly pathParams: Readonly<Record<string, string>>;
}

interface Route {
  readonly segments: readonly string[];
  readonly methods: Map<string, Operation>;
}

let cached: OpenApi | undefined;

/** The description of api.github.com, parsed once per process (13 MB of JSON). */
export function githubOpenApi(): OpenApi {
  if (!cached) {
    const require = createRequire(import.meta.url);
    cached = new OpenApi(require('@octokit/openapi/generated/api.github.com.json'));
  }
  return cached;
}

export class OpenApi {
  private readonly routes: Route[] = [];

  constructor(private readonly doc: Schema) {
    for (const [template, item] of Object.entries<Schema>(doc.paths)) {
      const methods = new Map<string, Operation>();
      const shared: Parameter[] = (item.parameters ?? []).map((p: Schema) => this.deref(p));
      for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']) {
        const op = item[method];
        if (!op) continue;
        const body = op.requestBody ? this.deref(op.requestBody) : undefined;
        const responses: Record<string, Schema | undefined> = {};
        for (const [status, r] of Object.entries<Schema>(op.responses ?? {})) {
          responses[status] = this.deref(r).content?.['application/json']?.schema;
        }
        methods.set(method.toUpperCase(), {
          method: method.toUpperCase(),
          template,
          operationId: op.operationId,
          parameters: [...shared, ...(op.parameters ?? []).map((p: Schema) => this.deref(p))],
          requestBody: body ? { required: body.required, schema: body.content?.['application/json']?.schema } : undefined,
          responses,
        });
      }
      this.routes.push({ segments: template.split('/').slice(1), methods });
    }
  }

  /**
   * The operation for `method` + `path` (no query), or null when GitHub has no such route. Among
   * templates that match, the one with a literal segment where the others have a parameter wins
   * (`/issues/comments` before `/issues/{issue_number}`), as in GitHub's router.
   */
  match(method: string, path: string): RouteMatch | null {
    const parts = path.split('/').slice(1).map(decodeURIComponent);
    let best: { route: Route; params: Record<string, string> } | null = null;
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = route.segments[i];
        if (seg.startsWith('{') && seg.endsWith('}')) {
          if (parts[i] === '') ok = false;
          else params[seg.slice(1, -1)] = parts[i];
        } else if (seg !== parts[i]) ok = false;
      }
      if (!ok) continue;
      if (!best || moreLiteral(route.segments, best.route.segments)) best = { route, params };
    }
    const operation = best?.route.methods.get(method.toUpperCase());
    return operation && best ? { operation, pathParams: best.params } : null;
  }

  /** Problems with the parameters (path, query) of a request to `match`; empty when it fits. */
  checkParameters(match: RouteMatch, query: URLSearchParams): string[] {
    const problems: string[] = [];
    const known = new Set<string>();
    for (const p of match.operation.parameters) {
      if (p.in !== 'path' && p.in !== 'query') continue;
      known.add(`${p.in}:${p.name}`);
      const raw = p.in === 'path' ? match.pathParams[p.name] : (query.get(p.name) ?? undefined);
      if (raw === undefined) {
        if (p.required) problems.push(`missing required ${p.in} parameter ${p.name}`);
        continue;
      }
      const value = coerce(raw, p.schema ? this.deref(p.schema) : {});
      problems.push(...this.validate(value, p.schema ?? {}, `${p.in} parameter ${p.name}`));
    }
    for (const name of new Set(query.keys())) {
      if (!known.has(`query:${name}`)) problems.push(`query parameter ${name} is not described for ${match.operation.operationId}`);
    }
    return problems;
  }

  /** Problems with a request body (already parsed JSON, or undefined when there was none). */
  checkRequestBody(match: RouteMatch, body: unknown): string[] {
    const rb = match.operation.requestBody;
    if (!rb) return body === undefined ? [] : [`${match.operation.operationId} takes no request body`];
    if (body === undefined) return rb.required ? [`${match.operation.operationId} requires a JSON request body`] : [];
    return rb.schema ? this.validate(body, rb.schema, 'body') : [];
  }

  /** Problems with a response body against the schema described for `status`. */
  checkResponse(match: RouteMatch, status: number, body: unknown): string[] {
    const responses = match.operation.responses;
    if (!(String(status) in responses) && !('default' in responses)) {
      return [`status ${status} is not described for ${match.operation.operationId}`];
    }
    const schema = responses[String(status)] ?? responses.default;
    return schema ? this.validate(body, schema, 'response') : [];
  }

  /** JSON Schema (the subset GitHub's description uses) validation; returns problems with their paths. */
  validate(value: unknown, schemaIn: Schema, where: string): string[] {
    const schema = this.deref(schemaIn);
    const problems: string[] = [];
    if (value === null) {
      if (schema.nullable || schema.type === 'null') return [];
      if (schema.oneOf || schema.anyOf) {
        // nullable may sit on one of the alternatives
      } else if (schema.type !== undefined || schema.properties || schema.$ref) {
        return [`${where}: null is not allowed`];
      }
    }
    if (schema.allOf) for (const s of schema.allOf) problems.push(...this.validate(value, s, where));
    if (schema.anyOf) {
      const results = schema.anyOf.map((s: Schema) => this.validate(value, s, where));
      if (!results.some((r: string[]) => r.length === 0)) problems.push(`${where}: matches none of anyOf (${results.map((r: string[]) => r[0]).join(' | ')})`);
    }
    if (schema.oneOf) {
      const results = schema.oneOf.map((s: Schema) => this.validate(value, s, where));
      const passing = results.filter((r: string[]) => r.length === 0).length;
      // GitHub's description overlaps its oneOf alternatives (public-user vs private-user): one or more is a match.
      if (passing === 0) problems.push(`${where}: matches none of oneOf (${results.map((r: string[]) => r[0]).join(' | ')})`);
    }
    if (value === null) return problems;
    if (schema.type && !hasType(value, schema.type)) return [...problems, `${where}: expected ${schema.type}, got ${describe(value)}`];
    if (schema.enum && !schema.enum.includes(value)) problems.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    if (typeof value === 'string') {
      if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${where}: longer than ${schema.maxLength}`);
      if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${where}: shorter than ${schema.minLength}`);
      if (schema.pattern && !new RegExp(schema.pattern).test(value)) problems.push(`${where}: does not match ${schema.pattern}`);
    }
    if (typeof value === 'number') {
      if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${where}: below ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${where}: above ${schema.maximum}`);
    }
    if (Array.isArray(value)) {
      if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${where}: more than ${schema.maxItems} items`);
      if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${where}: fewer than ${schema.minItems} items`);
      if (schema.items) value.forEach((v, i) => problems.push(...this.validate(v, schema.items, `${where}[${i}]`)));
    } else if (typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      for (const key of schema.required ?? []) if (!(key in obj)) problems.push(`${where}: missing required property ${key}`);
      const props: Record<string, Schema> = schema.properties ?? {};
      for (const [key, v] of Object.entries(obj)) {
        if (props[key]) problems.push(...this.validate(v, props[key], `${where}.${key}`));
        else if (schema.additionalProperties === false) problems.push(`${where}: property ${key} is not allowed`);
        else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          problems.push(...this.validate(v, schema.additionalProperties, `${where}.${key}`));
        }
      }
    }
    return problems;
  }

  private deref(s: Schema): Schema {
    let out = s;
    for (let hops = 0; out && out.$ref; hops++) {
      if (hops > 32) throw new Error(`$ref loop at ${s.$ref}`);
      const parts = String(out.$ref).replace(/^#\//, '').split('/');
      out = parts.reduce((node: any, key) => node?.[key], this.doc);
      if (!out) throw new Error(`unresolved $ref ${s.$ref}`);
    }
    return out;
  }
}

function moreLiteral(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const pa = a[i].startsWith('{');
    const pb = b[i].startsWith('{');
    if (pa !== pb) return !pa;
  }
  return false;
}

function coerce(raw: string, schema: Schema): unknown {
  if (schema.type === 'integer' || schema.type === 'number') return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (schema.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return true;
  }
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}
