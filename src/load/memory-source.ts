import { UserError } from '../diagnostics.js';
import type { FileEntry, FileSource } from './file-source.js';

/** Files held in memory: for tests, and for callers that already have the bytes. */
export function memorySource(files: Record<string, string | Buffer>, label = 'memory'): FileSource {
  const entries = new Map(Object.entries(files).map(([p, c]) => [p, typeof c === 'string' ? Buffer.from(c) : c]));
  return {
    label,
    async list(dir: string): Promise<FileEntry[]> {
      const prefix = dir === '' || dir === '.' ? '' : `${dir.replace(/\/+$/, '')}/`;
      const out = [...entries].filter(([p]) => p.startsWith(prefix)).map(([path, b]) => ({ path, size: b.length }));
      if (out.length === 0 && prefix && ![...entries.keys()].some((p) => p.startsWith(prefix))) {
        throw new UserError(`${dir}: no such folder (${label})`);
      }
      return out;
    },
    async read(path: string): Promise<Buffer> {
      const b = entries.get(path);
      if (!b) throw new UserError(`${path}: no such file (${label})`);
      return b;
    },
  };
}
