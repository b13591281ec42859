/**
 * The id git gives bytes as a blob (SHA-1 object format, git's default): what `git ls-tree` lists
 * for a committed file, so bytes read from the working tree can be matched with a revision's
 * files without reading those. In a repository using the SHA-256 object format the ids never
 * match, which costs work (the matching falls back to reading) but never a wrong answer.
 */
import { createHash } from 'node:crypto';

export function gitBlobId(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\u0000`).update(bytes).digest('hex');
}
