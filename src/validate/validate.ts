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

export function validateObjects(objects: readonly LoadedObject[], rules: readonly Rule[] = ALL_RULES): ValidationResult {
  const diagnostics: Diagnostic[] = [];
  const valid: ValidatedObject[] = [];
  const counts: Record<string, number> = {};

  // The rules' context follows the walker from object to object.
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

  for (const o of objects) {
    if (!isKeptKind(o.kind)) {
      diagnostics.push(diagnosticAt(at(o.origin, 'kind'), 'notice', `${o.kind} (${o.apiVersion}) is not used by contrail-gitops: skipped`));
      continue;
    }
    const spec = KEPT_KINDS[o.kind];
    if (o.apiVersion !== spec.apiVersion) {
      diagnostics.push(
        diagnosticAt(
          at(o.origin, 'apiVersion'),
          'error',
          `unsupported apiVersion ${JSON.stringify(o.apiVersion)} for ${o.kind}: use ${spec.apiVersion} (the version Kubernetes serves)`,
        ),
      );
      continue;
    }
    counts[o.kind] = (counts[o.kind] ?? 0) + 1;

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

    current = { kind: o.kind, origin: o.origin };
    findings = [];
    walkObject(o.kind, manifest ?? {}, visitors);
    current = undefined;
    // A value dropped for its type would make rules report its absence: only the type error counts.
    for (const f of findings) if (!typeErrors.some((t) => related(t, f.path))) own.push(f.diagnostic);

    diagnostics.push(...own);
    if (!own.some((d) => d.severity === 'error')) valid.push({ kind: o.kind, manifest: manifest ?? {}, origin: o.origin });
  }
  return { valid, diagnostics, counts };
}
