/**
 * The working tree as a FileSource. Paths are repository-relative with forward slashes whatever
 * the platform. Symbolic links are followed while they stay inside the repository; one that
 * leads out of it is refused (a policy folder must not read files the repository does not hold).
 *
 * File-system calls are synchronous on purpose: for thousands of small files they are several
 * times faster than the promise API (no thread-pool round trip per call), and a CLI or CI step
 * has nothing else to do meanwhile.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../diagnostics.js';
import type { FileEntry, FileSource } from './file-source.js';
import { fileDiagnostic } from './report.js';

const toPosix = (p: string): string => p.split(path.sep).join('/');

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function refuse(rel: string, message: string): UserError {
  return new UserError(`${rel}: ${message}`, [fileDiagnostic(rel, 'error', message)]);
}

export function fsSource(root: string): FileSource {
  const absRoot = path.resolve(root);
  let realRootCache: string | undefined;
  const realRoot = (): string => (realRootCache ??= realpathSync(absRoot));
  /** Files `list` found, with their real paths (checked to be inside): `read` trusts them. */
  const listed = new Map<string, string>();

  /** The real path of a repository-relative path, checked to be inside; undefined when missing. */
  function resolveInside(rel: string): string | undefined {
    const abs = path.resolve(absRoot, rel);
    if (!isInside(absRoot, abs)) throw refuse(toPosix(rel), 'path is outside the repository');
    let real: string;
    try {
      real = realpathSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw refuse(toPosix(rel), `cannot be read (${code ?? String(e)})`);
    }
    if (!isInside(realRoot(), real)) {
      throw refuse(toPosix(rel), `symbolic link leads outside the repository (to ${real}): refused; copy the file into the repository instead`);
    }
    return real;
  }

  return {
    label: 'working tree',

    async list(dir: string): Promise<FileEntry[]> {
      const start = dir === '' ? '.' : path.normalize(dir).replace(/[\\/]+$/, '') || '.';
      const startReal = resolveInside(start);
      if (!startReal) throw new UserError(`${toPosix(start)}: no such folder (working tree)`);
      if (!statSync(startReal).isDirectory()) throw refuse(toPosix(start), 'is not a folder');
      const out: FileEntry[] = [];
      const visiting = new Set<string>();
      const addFile = (rel: string, real: string, size: number): void => {
        const p = toPosix(rel);
        listed.set(p, real);
        out.push({ path: p, size });
      };
      const walkDir = (rel: string, real: string): void => {
        if (visiting.has(real)) return; // a link back to a folder being walked: a cycle
        visiting.add(real);
        for (const entry of readdirSync(real, { withFileTypes: true })) {
          if (rel === '.' && entry.name === '.git') continue;
          const childRel = rel === '.' ? entry.name : path.join(rel, entry.name);
          // Without a symbolic link on the way, the real path is the parent's plus the name.
          let childReal = path.join(real, entry.name);
          if (entry.isSymbolicLink()) {
            const resolved = resolveInside(childRel);
            if (!resolved) throw refuse(toPosix(childRel), 'broken symbolic link');
            childReal = resolved;
          } else if (!entry.isFile() && !entry.isDirectory()) {
            continue; // sockets, FIFOs, devices: not policy files
          }
          const stat = statSync(childReal);
          if (stat.isFile()) addFile(childRel, childReal, stat.size);
          else if (stat.isDirectory()) walkDir(childRel, childReal);
        }
        visiting.delete(real);
      };
      walkDir(start, startReal);
      return out;
    },

    async read(rel: string): Promise<Buffer> {
      const real = listed.get(rel) ?? resolveInside(rel);
      if (!real) throw refuse(toPosix(rel), 'no such file');
      return readFileSync(real);
    },
  };
}
