/**
 * Validation of loaded objects: kind and apiVersion, decoding (types, unknown fields), then the
 * rules. Everything found is reported, not just the first problem; an object with an error is
 * left out of the result.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { LoadedObject } from '../load/loader.js';
import { diagnosticAt } from '../load/report.js';
import { at, type Origin, type Path } from '../model/source.js';
import { KEPT_KINDS, isKeptKind, type KeptKind } from './kinds.js';
import type { ObjectInfo, Rule, RuleContext } from './rule.js';
import { ALL_RULES } from './rules/index.js';
import { walkObject } from './walk.js';

export interface ValidatedObject {
  readonly kind: KeptKind;
  /** The decoded manifest (see manifest.ts for its type per kind), free of errors. */
  readonly manifest: unknown;
  readonly origin: Origin;
}

export interface ValidationResult {
  readonly valid: ValidatedObject[];
  readonly diagnostics: Diagnostic[];
  /** Objects of each kept kind (valid or not), by kind. */
  readonly counts: Record<string, number>;
}

/** `a` is `b`, or one contains the other. */
function related(a: Path, b: Path): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * One object checked alone: its kind, apiVersion, decoding and the object rules. Depends on the
 * object only, so a file's results can be reused wherever the same file is read again (both
 * sides of a diff share every file a pull request leaves unchanged).
 */
export interface CheckedObject {
  /** Absent when the object was not validated (a kind contrail-gitops does not use, an unsupported apiVersion). */
  readonly kind?: KeptKind;
  readonly manifest: unknown;
  readonly origin: Origin;
  /** Counted in `counts` (a kept kind, whatever its validity). */
  readonly counted?: KeptKind;
  readonly diagnostics: readonly Diagnostic[];
  /** Paths whose value had the wrong type: findings about them or inside them are not reported. */
  readonly typeErrors: readonly Path[];
}

/** Validates objects with every rule: checkObjects, then checkFolder. */
export function validateObjects(objects: readonly LoadedObject[], rules: readonly Rule[] = ALL_RULES): ValidationResult {
  return checkFolder(checkObjects(objects, rules), rules);
}

/** Phase one: each object alone, with the rules that are not folder rules. */
export function checkObjects(objects: readonly LoadedObject[], rules: readonly Rule[] = ALL_RULES): CheckedObject[] {
  const walker = ruleWalker(rules.filter((r) => r.scope !== 'folder'));
  return objects.map((o) => checkObject(o, walker));
}

/**
 * Phase two: the folder rules (names unique across files) over every checked object in order,
 * then what is valid. An object with an error of either phase is left out.
 */
export function checkFolder(checked: readonly CheckedObject[], rules: readonly Rule[] = ALL_RULES): ValidationResult {
  const folderRules = rules.filter((r) => r.scope === 'folder');
  const walker = folderRules.length > 0 ? ruleWalker(folderRules) : undefined;
  const diagnostics: Diagnostic[] = [];
  const valid: ValidatedObject[] = [];
  const counts: Record<string, number> = {};
  for (const c of checked) {
    if (c.counted) counts[c.counted] = (counts[c.counted] ?? 0) + 1;
    diagnostics.push(...c.diagnostics);
    if (!c.kind) continue;
    const more = walker ? walker.walk(c.kind, c.origin, c.manifest, c.typeErrors) : [];
    diagnostics.push(...more);
    if (!c.diagnostics.some((d) => d.severity === 'error') && !more.some((d) => d.severity === 'error')) {
      // The checked object itself (kind is set): whoever reuses it may memoise by its identity.
      valid.push(c as ValidatedObject);
    }
  }
  return { valid, diagnostics, counts };
}

function checkObject(o: LoadedObject, walker: RuleWalker): CheckedObject {
  const skipped = (diagnostic: Diagnostic, counted?: KeptKind): CheckedObject => ({
    manifest: o.value,
    origin: o.origin,
    diagnostics: [diagnostic],
    typeErrors: [],
    ...(counted ? { counted } : {}),
  });
  if (!isKeptKind(o.kind)) {
    return skipped(diagnosticAt(at(o.origin, 'kind'), 'notice', `${o.kind} (${o.apiVersion}) is not used by contrail-gitops: skipped`));
  }
  const spec = KEPT_KINDS[o.kind];
  if (o.apiVersion !== spec.apiVersion) {
    return skipped(
      diagnosticAt(
        at(o.origin, 'apiVersion'),
        'error',
        `unsupported apiVersion ${JSON.stringify(o.apiVersion)} for ${o.kind}: use ${spec.apiVersion} (the version Kubernetes serves)`,
      ),
    );
  }
  const own: Diagnostic[] = [];
  const typeErrors: Path[] = [];
  const manifest = spec.decoder.decode(o.value, [], {
    typeError(path, message) {
      typeErrors.push(path);
      own.push(diagnosticAt(at(o.origin, ...path), 'error', message));
    },
    unknownField(path) {
      const name = String(path[path.length - 1]);
      own.push(
        diagnosticAt(at(o.origin, ...path), 'warning', `unknown field ${JSON.stringify(name)} (kubectl apply --validate=strict rejects it; the API server drops it)`, {
          key: true,
        }),
      );
    },
  });
  own.push(...walker.walk(o.kind, o.origin, manifest ?? {}, typeErrors));
  return { kind: o.kind, counted: o.kind, manifest: manifest ?? {}, origin: o.origin, diagnostics: own, typeErrors };
}

interface RuleWalker {
  /** The rules' findings on one decoded object, less those about values dropped for their type. */
  walk(kind: KeptKind, origin: Origin, manifest: unknown, typeErrors: readonly Path[]): Diagnostic[];
}

/** The rules' visitors, created once; their context follows the walker from object to object. */
function ruleWalker(rules: readonly Rule[]): RuleWalker {
  let current: ObjectInfo | undefined;
  let findings: { path: Path; diagnostic: Diagnostic }[] = [];
  const context: RuleContext = {
    get object(): ObjectInfo {
      if (!current) throw new Error('rule context used outside a walk');
      return current;
    },
    report(path, message, options = {}) {
      const origin = at(context.object.origin, ...path);
      findings.push({ path, diagnostic: diagnosticAt(origin, options.severity ?? 'error', message, { key: options.key }) });
    },
  };
  const visitors = rules.map((r) => r.create(context));
  return {
    walk(kind, origin, manifest, typeErrors) {
      current = { kind, origin };
      findings = [];
      walkObject(kind, manifest, visitors);
      current = undefined;
      // A value dropped for its type would make rules report its absence: only the type error counts.
      return findings.filter((f) => !typeErrors.some((t) => related(t, f.path))).map((f) => f.diagnostic);
    },
  };
}
