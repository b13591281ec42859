/**
 * Writes rendered files into the output folder: a file only when its bytes change (so an
 * unchanged file keeps its mtime and git sees nothing), each atomically (temporary file in the
 * same folder, fsync, rename), and removes files it wrote before that a render no longer
 * produces.
 *
 * Which files it owns is recorded in a manifest, `<out>/.contrail-gitops-manifest`, rather than
 * recognised by a generated header: vnc.json is JSON and cannot carry a comment, and a header can
 * be copied into a hand-written file. A file is removed only when the previous manifest lists it,
 * it is a regular file, and its path stays inside the output folder; nothing else is ever
 * touched. The manifest is bookkeeping: it is not counted among the rendered files, and
 * `check: true` compares the rendered files only, writing nothing.
 *
 * Given the render's inputs stamp, the manifest also carries the freshness stamp (stamp.ts) as
 * two comment lines, `# inputs: sha256:<hex>` and `# outputs: sha256:<hex>`: readers that know
 * only the list of owned files skip them as they skip every comment.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readFile, rename, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { cmp, UserError } from '../diagnostics.js';
import { outputsStampOf } from './stamp.js';

export const MANIFEST = '.contrail-gitops-manifest';

export interface WriteResult {
  /** Files written (or, with check, that would be): relative to the output folder, sorted. */
  readonly changed: string[];
  /** Owned files removed (or that would be), sorted. */
  readonly removed: string[];
  readonly unchanged: number;
}

const MANIFEST_HEADER = [
  '# Files contrail-gitops rendered into this folder; it removes them when a render no longer produces them.',
  '# Do not edit by hand.',
];

/** A path we may write or remove: relative, forward slashes, no `.`/`..` segments. */
function isOwnedPath(p: string): boolean {
  if (!p || p.startsWith('/') || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/** What the stamp says of a render: hashes of what it read and of what it wrote (see stamp.ts). */
export interface RenderStamp {
  readonly inputs: string;
  readonly outputs: string;
}

const STAMP_LINE = /^# (inputs|outputs): (sha256:[0-9a-f]{64})$/;

export function manifestText(paths: Iterable<string>, stamp?: RenderStamp): string {
  const stampLines = stamp ? [`# inputs: ${stamp.inputs}`, `# outputs: ${stamp.outputs}`] : [];
  return `${[...MANIFEST_HEADER, ...stampLines, ...[...new Set(paths)].sort(cmp)].join('\n')}\n`;
}

/** The stamp a manifest carries; undefined when it has none (written before stamps, or by hand). */
export function manifestStamp(text: string): RenderStamp | undefined {
  const found: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = STAMP_LINE.exec(line);
    if (m) found[m[1]!] = m[2]!;
  }
  return found.inputs && found.outputs ? { inputs: found.inputs, outputs: found.outputs } : undefined;
}

/** The manifest without its stamp lines: what it says of the files it owns, and nothing else. */
export function withoutStamp(text: string): string {
  return text
    .split('\n')
    .filter((line) => !STAMP_LINE.test(line))
    .join('\n');
}

/** The paths a manifest says the tool owns (comments, the stamp and unsafe paths left out). */
export function ownedPaths(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && l !== MANIFEST && isOwnedPath(l));
}

async function readIfFile(abs: string): Promise<Buffer | undefined> {
  try {
    return await readFile(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EISDIR') throw new UserError(`${abs}: is a folder where contrail-gitops writes a file: move it away`);
    throw new UserError(`${abs}: cannot read: ${(e as Error).message}`);
  }
}

async function isRegularFile(abs: string): Promise<boolean> {
  try {
    return (await lstat(abs)).isFile();
  } catch {
    return false;
  }
}

/** How many files are written at once: each write waits on its fsync, so a few in flight keep the disk busy. */
const PARALLEL_WRITES = 8;

/** Temporary file in the same folder, fsync, rename: readers see the old bytes or the new, never a part. */
async function writeAndRename(abs: string, data: Buffer): Promise<void> {
  const dir = path.dirname(abs);
  const tmp = path.join(dir, `.${path.basename(abs)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, abs);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new UserError(`${abs}: cannot write: ${(e as Error).message}`);
  }
}

/** A rename is durable once the folder's entry is on disk; not every platform lets a folder be synced. */
async function syncFolder(dir: string): Promise<void> {
  const dirHandle = await open(dir, 'r').catch(() => undefined);
  await dirHandle?.sync().catch(() => undefined);
  await dirHandle?.close();
}

export async function atomicWrite(abs: string, data: Buffer): Promise<void> {
  await writeAndRename(abs, data);
  await syncFolder(path.dirname(abs));
}

/**
 * Runs `job` on every item, at most `limit` at a time. Every job runs to its end even when one
 * fails; then the failure of the earliest item is thrown, so the message does not depend on timing.
 */
async function eachLimited<T>(items: readonly T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  const failures: { index: number; error: unknown }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await job(items[index]!).catch((error: unknown) => void failures.push({ index, error }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length) throw failures.reduce((a, b) => (b.index < a.index ? b : a)).error;
}

/** Removes `abs`'s parent folders, up to (not including) `root`, while they are empty. */
async function pruneEmptyFolders(root: string, abs: string): Promise<void> {
  for (let dir = path.dirname(abs); dir.startsWith(`${root}${path.sep}`); dir = path.dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty (or not ours to judge)
    }
  }
}

export interface WriteOptions {
  /** Compare only; write nothing. */
  readonly check: boolean;
  /** The render's inputs stamp (stamp.ts inputsStamp): the manifest is stamped when given. */
  readonly inputs?: string;
}

export async function writeRendered(outDir: string, files: Map<string, string>, opts: WriteOptions): Promise<WriteResult> {
  const root = path.resolve(outDir);
  for (const p of files.keys()) {
    if (!isOwnedPath(p) || p === MANIFEST) throw new Error(`render produced an invalid output path: ${JSON.stringify(p)}`);
  }
  const manifestPath = path.join(root, MANIFEST);
  const previousManifest = await readIfFile(manifestPath);
  const previous = previousManifest ? ownedPaths(previousManifest.toString('utf8')) : [];

  const wanted = new Map<string, Buffer>([...files].map(([p, text]) => [p, Buffer.from(text, 'utf8')]));
  const changed: string[] = [];
  let unchanged = 0;
  const paths = [...wanted.keys()];
  const same = new Set<string>();
  await eachLimited(paths, PARALLEL_WRITES, async (p) => {
    if ((await readIfFile(path.join(root, p)))?.equals(wanted.get(p)!)) same.add(p);
  });
  for (const p of paths) {
    if (same.has(p)) unchanged++;
    else changed.push(p);
  }
  const removed: string[] = [];
  for (const p of previous) {
    if (!wanted.has(p) && (await isRegularFile(path.join(root, p)))) removed.push(p);
  }
  changed.sort(cmp);
  removed.sort(cmp);
  if (opts.check) return { changed, removed, unchanged };

  // New files are recorded as owned before they are written, so an interrupted render still removes
  // them later. Only the final manifest is stamped: a folder left half-written must never look fresh.
  const stamp = opts.inputs !== undefined ? { inputs: opts.inputs, outputs: outputsStampOf(wanted) } : undefined;
  const finalManifest = Buffer.from(manifestText(files.keys(), stamp), 'utf8');
  const interim = Buffer.from(manifestText([...previous, ...files.keys()]), 'utf8');
  if (changed.length && !previousManifest?.equals(interim)) await atomicWrite(manifestPath, interim);
  await eachLimited(changed, PARALLEL_WRITES, (p) => writeAndRename(path.join(root, p), wanted.get(p)!));
  for (const dir of [...new Set(changed.map((p) => path.dirname(path.join(root, p))))].sort(cmp)) await syncFolder(dir);
  for (const p of removed) {
    const abs = path.join(root, p);
    await unlink(abs).catch((e: Error) => {
      throw new UserError(`${abs}: cannot remove: ${e.message}`);
    });
    await pruneEmptyFolders(root, abs);
  }
  if (!(await readIfFile(manifestPath))?.equals(finalManifest)) await atomicWrite(manifestPath, finalManifest);
  return { changed, removed, unchanged };
}
