/**
 * Generated repositories for the benchmark, kept between runs: generating 10,000 policies takes
 * longer than some stages. The cache key holds every option and a hash of the generator's own
 * source, so a changed generator never serves an old repository.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRepository } from '../policy-repo/index.mjs';

const LIB = fileURLToPath(new URL('..', import.meta.url));

async function generatorHash() {
  const h = createHash('sha256');
  const dirs = [LIB, path.join(LIB, 'policy-repo')];
  for (const dir of dirs) {
    for (const f of (await readdir(dir)).filter((n) => n.endsWith('.mjs')).sort()) h.update(f).update(await readFile(path.join(dir, f)));
  }
  return h.digest('hex').slice(0, 12);
}

/**
 * The repository for these options under `cacheDir`, generated when missing.
 * @returns {Promise<{root: string, repo: {namespaces: number, workloads: number, policies: number, files: number}, generated: boolean}>}
 */
export async function benchRepository(cacheDir, o) {
  const key = `p${o.policies}-n${o.namespaces}-w${o.pods}-c${o.changePercent}-s${o.seed.replace(/[^a-zA-Z0-9]/g, '_')}-${await generatorHash()}`;
  const root = path.join(cacheDir, key);
  const done = `${root}.json`;
  try {
    await stat(root);
    return { root, repo: JSON.parse(await readFile(done, 'utf8')), generated: false };
  } catch {
    // Missing, or left half-written by an interrupted run: start again.
    await rm(root, { recursive: true, force: true });
  }
  const r = await generateRepository({ ...o, out: root });
  await writeFile(done, JSON.stringify(r.baseStats));
  return { root, repo: r.baseStats, generated: true };
}
