/**
 * Child process of determinism.test.ts: renders the policy files it reads on stdin
 * (`{ files: [[path, text], ...] }`, in that order) and prints `{ offset, files }` as JSON, so the
 * test can compare renders made under another time zone and locale.
 */
import { compile } from '../../src/compile/index.js';
import { DEFAULT_CONFIG } from '../../src/config/types.js';
import { readPolicySet } from '../../src/frontend.js';
import { memorySource } from '../../src/load/memory-source.js';
import { renderSnapshot } from '../../src/render/index.js';

export async function renderFiles(files: readonly (readonly [string, string])[]): Promise<Record<string, string>> {
  const front = await readPolicySet(memorySource(Object.fromEntries(files)), 'policies');
  const { snapshot } = compile(front.policySet, { ...DEFAULT_CONFIG, mode: 'cn2', generator: 'contrail-gitops test' });
  if (!snapshot) throw new Error('no snapshot');
  return Object.fromEntries(renderSnapshot(snapshot, DEFAULT_CONFIG));
}

if (process.argv[1]?.endsWith('render-child.ts')) {
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => (input += chunk));
  process.stdin.on('end', async () => {
    const { files } = JSON.parse(input) as { files: [string, string][] };
    process.stdout.write(JSON.stringify({ offset: new Date(2024, 0, 1).getTimezoneOffset(), locale: Intl.DateTimeFormat().resolvedOptions().locale, files: await renderFiles(files) }));
  });
}
