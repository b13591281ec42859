/**
 * Policies folder of the working tree -> the rendered folder on disk, the way `contrail-gitops
 * render` does it: the pipeline, render, write (only changed files; stale ones removed; the
 * manifest stamped with what was read and written).
 * Invalid policies are a UserError carrying their diagnostics: nothing is written then.
 */
import path from 'node:path';
import type { Config } from '../config/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { fsSource } from '../load/fs-source.js';
import { RecordingSource } from '../load/recording-source.js';
import { compileOrThrow } from '../pipeline.js';
import { renderSnapshot } from '../render/index.js';
import { inputsStampOf } from '../render/stamp.js';
import { writeRendered } from '../render/write.js';

export interface RenderedFolder {
  /** Warnings and notices about the policies (errors throw). */
  readonly diagnostics: readonly Diagnostic[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

export async function renderFolder(config: Config): Promise<RenderedFolder> {
  const source = new RecordingSource(fsSource(config.root));
  const compiled = await compileOrThrow(source, config);
  const files = renderSnapshot(compiled.snapshot, config);
  const inputs = await inputsStampOf(source, config);
  const written = await writeRendered(path.join(config.root, config.output), files, { check: false, inputs });
  return { diagnostics: compiled.diagnostics, changed: written.changed, removed: written.removed };
}
