/**
 * Files of one git revision, read from the object database: no checkout, no change to the working
 * copy or the index, so the base branch of a pull request can be compiled next to the working tree.
 * Symbolic links are followed while they stay inside the tree and refused when they lead out of it,
 * as the working-tree source does (the target of a link out of a revision is not part of it).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { SimpleGit } from 'simple-git';
import { openGit } from '../git/open.js';
import { UserError } from '../diagnostics.js';
import type { FileEntry, FileSource } from './file-source.js';

/** One entry of `git ls-tree --long`. */
interface TreeEntry {
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly oid: string;
  readonly size: number;
  readonly path: string;
}

const SYMLINK_MODE = '120000';
/** As the kernel's ELOOP limit: a chain of links longer than this is a loop. */
const MAX_LINK_HOPS = 40;

/**
 * A FileSource over the tree of `rev` in the repository at `repoRoot`. Throws a UserError when `rev`
 * does not name a commit present in this clone, saying what to fetch when the clone is shallow.
 */
export async function gitTreeSource(repoRoot: string, rev: string): Promise<GitTreeSource> {
  // git's messages are matched below: openGit keeps them in English whatever the locale.
  const git = openGit(repoRoot);
  const sha = await resolveCommit(git, repoRoot, rev);
  const label = /^[0-9a-f]{4,40}$/i.test(rev) && sha.startsWith(rev.toLowerCase()) ? sha.slice(0, 12) : `${rev} (${sha.slice(0, 7)})`;
  // `repoRoot` may be a folder inside the work tree (a monorepo): paths are relative to it, as the
  // working-tree source's are, and the tree is read under this prefix.
  const prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim().replace(/\/+$/, '');
  return new GitTree(git, repoRoot, sha, label, prefix);
}

/** A FileSource over one commit's tree. */
export interface GitTreeSource extends FileSource {
  /** The full commit sha `rev` resolved to. */
  readonly sha: string;
  /** Whether `dir` (relative to the root) is a folder in this revision (links followed). */
  hasFolder(dir: string): Promise<boolean>;
  /** Files listed by `list` are fetched ahead, in one request to git. */
  prefetch(paths: readonly string[]): void;
}

async function resolveCommit(git: SimpleGit, repoRoot: string, rev: string): Promise<string> {
  if (rev === '' || rev.startsWith('-')) throw new UserError(`${JSON.stringify(rev)}: not a git revision (a branch, tag or commit sha)`);
  let out: string;
  try {
    out = await git.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  } catch (e) {
    const message = (e as Error).message.trim();
    if (/not a git repository/i.test(message)) throw new UserError(`${repoRoot}: not a git repository (git says: ${message})`);
    out = '';
  }
  const sha = out.trim();
  if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return sha;
  throw new UserError(await missingRevisionMessage(git, rev));
}

/** What to tell the user when `rev` is not here: in a shallow clone, exactly what to fetch. */
async function missingRevisionMessage(git: SimpleGit, rev: string): Promise<string> {
  const shallow = (await git.raw(['rev-parse', '--is-shallow-repository']).catch(() => '')).trim() === 'true';
  const depth = shallow ? '--depth=1 ' : '';
  const where = shallow ? 'this is a shallow clone and it does not hold it' : 'no branch, tag or commit of this repository has that name';
  if (/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(rev)) {
    return `${rev}: commit not found (${where}). Fetch it first: git fetch ${depth}origin ${rev}`;
  }
  if (/^[0-9a-f]{4,39}$/i.test(rev)) {
    return `${rev}: commit not found (${where}). Give the full 40-character sha and fetch it first: git fetch ${depth}origin <full sha>`;
  }
  const remoteBranch = /^(?:refs\/remotes\/)?origin\/(.+)$/.exec(rev);
  if (remoteBranch) {
    const branch = remoteBranch[1];
    return `${rev}: not found (${where}). Fetch it first: git fetch ${depth}origin ${branch}:refs/remotes/origin/${branch}`;
  }
  return `${rev}: not found (${where}). Give a branch, tag or commit sha that exists here, or fetch it first: git fetch ${depth}origin ${rev}`;
}

class GitTree implements GitTreeSource {
  /** Blob id of every file path that list() returned (paths as the caller sees them, links included). */
  private readonly blobs = new Map<string, string>();
  private readonly entries = new Map<string, TreeEntry | null>();
  private readonly linkTargets = new Map<string, string>();
  private readonly reader: BlobReader;
  /** Contents asked for by prefetch and not read yet, by path. */
  private readonly ahead = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly git: SimpleGit,
    repoRoot: string,
    readonly sha: string,
    readonly label: string,
    /** Path of the root folder inside the tree ('' at the top). */
    private readonly prefix: string,
  ) {
    this.reader = new BlobReader(repoRoot);
  }

  /** A root-relative path as a path in the tree. */
  private inTree(p: string): string {
    return this.prefix === '' ? p : p === '' ? this.prefix : `${this.prefix}/${p}`;
  }

  async hasFolder(dir: string): Promise<boolean> {
    const wanted = normalizeRelative(dir, dir, this.label);
    return (await this.resolve(this.inTree(wanted), wanted))?.type === 'tree';
  }

  async list(dir: string): Promise<FileEntry[]> {
    const wanted = normalizeRelative(dir, dir, this.label);
    const real = await this.resolve(this.inTree(wanted), wanted);
    if (real === null || real.type !== 'tree') throw new UserError(`${dir}: no such folder (${this.label})`);
    const out: FileEntry[] = [];
    await this.walk(real.path, wanted, [real.path], out);
    return out;
  }

  blobId(file: string): string | undefined {
    return this.blobs.get(file);
  }

  /** The contents are held until read: about the folder's size (59 MB for 10,000 policies), as any full read holds it. */
  prefetch(paths: readonly string[]): void {
    const wanted = paths.filter((p) => this.blobs.has(p) && !this.ahead.has(p));
    const contents = this.reader.readAll(wanted.map((p) => this.blobs.get(p)!));
    wanted.forEach((p, i) => {
      // A file fetched ahead and never read must not fail the process: its error is for `read`.
      contents[i]!.catch(() => undefined);
      this.ahead.set(p, contents[i]!);
    });
  }

  async read(file: string): Promise<Buffer> {
    const ahead = this.ahead.get(file);
    if (ahead) {
      this.ahead.delete(file);
      return ahead;
    }
    let oid = this.blobs.get(file);
    if (oid === undefined) {
      const wanted = normalizeRelative(file, file, this.label);
      const entry = await this.resolve(this.inTree(wanted), wanted);
      if (entry === null || entry.type !== 'blob') throw new UserError(`${file}: no such file (${this.label})`);
      oid = entry.oid;
    }
    return this.reader.read(oid);
  }

  /** Lists the tree at `real` (a path in the revision) as if it lived at `shown`. */
  private async walk(real: string, shown: string, visiting: readonly string[], out: FileEntry[]): Promise<void> {
    const args = ['--literal-pathspecs', 'ls-tree', '--full-tree', '-r', '-z', '--long', this.sha];
    if (real !== '') args.push('--', `${real}/`);
    const listed = parseLsTree(await this.git.raw(args));
    for (const entry of listed) {
      const relative = real === '' ? entry.path : entry.path.slice(real.length + 1);
      const shownPath = shown === '' ? relative : `${shown}/${relative}`;
      if (entry.type === 'commit') continue; // a submodule: its files are not in this repository
      if (entry.mode !== SYMLINK_MODE) {
        this.blobs.set(shownPath, entry.oid);
        out.push({ path: shownPath, size: entry.size });
        continue;
      }
      const target = await this.resolve(entry.path, shownPath);
      if (target === null) {
        throw new UserError(`${shownPath}: symbolic link to ${JSON.stringify(await this.linkText(entry))} points at nothing in ${this.label}`);
      }
      if (target.type === 'blob') {
        this.blobs.set(shownPath, target.oid);
        out.push({ path: shownPath, size: target.size });
      } else if (target.type === 'tree') {
        // A link back to a folder being walked is a cycle: skipped, as the working-tree source does.
        if (visiting.some((v) => v === target.path || v.startsWith(`${target.path}/`) || target.path === '')) continue;
        await this.walk(target.path, shownPath, [...visiting, target.path], out);
      }
    }
  }

  /**
   * The entry `file` names once every symbolic link on the way is followed (component by component,
   * as the kernel does); null when nothing is there. `shown` is the path the user knows, for messages.
   */
  private async resolve(file: string, shown: string, hops = 0): Promise<TreeEntry | null> {
    if (file === '') return { mode: '040000', type: 'tree', oid: '', size: 0, path: '' };
    const parts = file.split('/');
    let current = '';
    for (let i = 0; i < parts.length; i++) {
      const candidate = current === '' ? parts[i] : `${current}/${parts[i]}`;
      const entry = await this.lookup(candidate);
      if (entry === null) return null;
      let resolved: TreeEntry = entry;
      if (entry.mode === SYMLINK_MODE) {
        if (hops >= MAX_LINK_HOPS) throw new UserError(`${shown}: too many levels of symbolic links in ${this.label}`);
        const text = await this.linkText(entry);
        const targetPath = normalizeRelative(path.posix.join(path.posix.dirname(candidate), text), shown, this.label, text);
        if (this.prefix !== '' && targetPath !== this.prefix && !targetPath.startsWith(`${this.prefix}/`)) {
          throw outOfRepository(shown, text, this.label);
        }
        const next = await this.resolve(targetPath, shown, hops + 1);
        if (next === null) return null;
        resolved = next;
      }
      if (i < parts.length - 1 && resolved.type !== 'tree') return null;
      current = resolved.path;
      if (i === parts.length - 1) return resolved;
    }
    return null;
  }

  private async lookup(file: string): Promise<TreeEntry | null> {
    const cached = this.entries.get(file);
    if (cached !== undefined) return cached;
    const listed = parseLsTree(await this.git.raw(['--literal-pathspecs', 'ls-tree', '--full-tree', '-z', '--long', this.sha, '--', file]));
    const entry = listed.find((e) => e.path === file) ?? null;
    this.entries.set(file, entry);
    return entry;
  }

  private async linkText(entry: TreeEntry): Promise<string> {
    let text = this.linkTargets.get(entry.oid);
    if (text === undefined) {
      text = (await this.reader.read(entry.oid)).toString('utf8');
      this.linkTargets.set(entry.oid, text);
    }
    return text;
  }
}

/**
 * `p` as a clean repository-relative path (no `.`, no trailing `/`). A path that climbs out of the
 * repository, or an absolute one, is refused: for a link (`linkText` given) the message says so.
 */
function normalizeRelative(p: string, shown: string, label: string, linkText?: string): string {
  const cleaned = p.replace(/\\/g, '/');
  const normal = path.posix.normalize(cleaned === '' ? '.' : cleaned).replace(/\/+$/, '');
  if (path.posix.isAbsolute(cleaned) || normal === '..' || normal.startsWith('../')) {
    if (linkText !== undefined) throw outOfRepository(shown, linkText, label);
    throw new UserError(`${shown}: must be a path inside the repository`);
  }
  return normal === '.' ? '' : normal;
}

function outOfRepository(shown: string, linkText: string, label: string): UserError {
  return new UserError(
    `${shown}: symbolic link to ${JSON.stringify(linkText)} leads out of the repository (${label}); only links to files inside the repository are followed`,
  );
}

/** Parses `git ls-tree -z --long`: `<mode> SP <type> SP <oid> SP+ <size> TAB <path> NUL`. */
function parseLsTree(out: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
    entries.push({ mode, type: type as TreeEntry['type'], oid, size: size === '-' ? 0 : Number(size), path: record.slice(tab + 1) });
  }
  return entries;
}

interface PendingRead {
  readonly oid: string;
  resolve(b: Buffer): void;
  reject(e: Error): void;
}

/**
 * How long the cat-file process may sit idle before it ends. A front end's reads come with gaps
 * (each file waits for its parse, on a parser thread for a large folder): ending the process at
 * every gap restarted git hundreds of times on 10,000 files (2 s of spawning), while waiting a
 * little keeps one process, and a command's end is delayed by at most this much.
 */
const IDLE_CLOSE_MS = 50;

/**
 * Blob contents through one `git cat-file --batch` process (simple-git cannot write to a command's
 * stdin): a thousand policy files cost one process, not a thousand. The process starts on the first
 * read and ends once no read has been pending for IDLE_CLOSE_MS, so nothing outlives the caller's work.
 */
class BlobReader {
  private child?: ReturnType<typeof spawn>;
  private readonly pending: PendingRead[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private closeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly cwd: string) {}

  read(oid: string): Promise<Buffer> {
    return this.readAll([oid])[0]!;
  }

  /** Many blobs asked for in one write to git (a write per blob costs a system call each). */
  readAll(oids: readonly string[]): Promise<Buffer>[] {
    if (oids.length === 0) return [];
    const child = this.child ?? this.start();
    const out = oids.map((oid) => new Promise<Buffer>((resolve, reject) => this.pending.push({ oid, resolve, reject })));
    child.stdin!.write(`${oids.join('\n')}\n`);
    return out;
  }

  private start(): ReturnType<typeof spawn> {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: this.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.buffer = Buffer.alloc(0);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stdout!.on('data', (d: Buffer) => {
      this.buffer = this.buffer.length === 0 ? d : Buffer.concat([this.buffer, d]);
      this.drain();
    });
    // A process closed on purpose is no longer `this.child`; the reads pending then belong to its successor.
    const fail = (why: string) => {
      if (this.child !== child) return;
      this.child = undefined;
      for (const p of this.pending.splice(0)) p.reject(new UserError(`git cat-file failed in ${this.cwd}: ${why}`));
    };
    child.on('error', (e) => fail(e.message));
    child.on('close', (code) => fail(stderr.trim() || `exit code ${code}`));
    child.stdin!.on('error', () => undefined); // reported by 'close' with git's own message
    return child;
  }

  /** Answers every complete `<oid> SP <type> SP <size> LF <content> LF` record at the buffer's head. */
  private drain(): void {
    for (;;) {
      const eol = this.buffer.indexOf(0x0a);
      const head = this.pending[0];
      if (eol < 0 || !head) break;
      const header = this.buffer.subarray(0, eol).toString('utf8');
      const missing = / missing$/.exec(header);
      if (missing) {
        this.buffer = this.buffer.subarray(eol + 1);
        this.pending.shift();
        head.reject(new UserError(`git object ${head.oid} is missing from this clone`));
        continue;
      }
      const size = Number(header.split(' ')[2]);
      if (this.buffer.length < eol + 1 + size + 1) break;
      const content = Buffer.from(this.buffer.subarray(eol + 1, eol + 1 + size));
      this.buffer = this.buffer.subarray(eol + 1 + size + 1);
      this.pending.shift();
      head.resolve(content);
    }
    this.scheduleClose();
  }

  /** Ends the process once the caller stops asking (no read pending for IDLE_CLOSE_MS). */
  private scheduleClose(): void {
    if (this.pending.length > 0 || this.closeTimer) return;
    this.closeTimer = setTimeout(() => {
      this.closeTimer = undefined;
      if (this.pending.length > 0) return; // asked again: the last answer schedules the next check
      if (this.child) {
        const child = this.child;
        this.child = undefined;
        child.stdin!.end();
      }
    }, IDLE_CLOSE_MS);
  }
}
