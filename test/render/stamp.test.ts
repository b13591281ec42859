/** The render's freshness stamp: what it hashes, what it ignores, and how the manifest carries it. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_CONFIG, type Config } from '../../src/config/types.js';
import { gitBlobId } from '../../src/git/blob-id.js';
import { memorySource } from '../../src/load/memory-source.js';
import { RecordingSource } from '../../src/load/recording-source.js';
import { type BlobEntry, inputsStamp, outputsStamp, policyInputs } from '../../src/render/stamp.js';
import { MANIFEST, manifestStamp, manifestText, withoutStamp, writeRendered } from '../../src/render/write.js';

const CONFIG: Config = { root: '/repo', ...DEFAULT_CONFIG };
const FILES: BlobEntry[] = [
  ['policies/a.yaml', '1'.repeat(40)],
  ['policies/b.yaml', '2'.repeat(40)],
];

test('gitBlobId is the id git gives the same bytes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-blob-'));
  try {
    for (const [name, bytes] of [['empty', ''], ['ascii', 'kind: Namespace\n'], ['utf8', 'name: caf\u00e9 \u{1f600}\r\n']] as const) {
      writeFileSync(path.join(dir, name), bytes);
      const byGit = execFileSync('git', ['hash-object', '--no-filters', path.join(dir, name)], { encoding: 'utf8' }).trim();
      assert.is(gitBlobId(Buffer.from(bytes, 'utf8')), byGit, name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inputs stamp: every configuration field that reaches the output counts; the root and the output folder do not; file order does not', () => {
  const stamp = inputsStamp(CONFIG, FILES);
  assert.match(stamp, /^sha256:[0-9a-f]{64}$/);
  const changed: Partial<Config>[] = [
    { cluster: 'prod' },
    { mode: 'exact' },
    { policies: 'netpol' },
    { podCIDR: '10.0.0.0/8' },
    { cn2ApiVersion: 'core.contrail.juniper.net/v1' },
    { inventoryComplete: true },
  ];
  for (const c of changed) assert.is.not(inputsStamp({ ...CONFIG, ...c }, FILES), stamp, JSON.stringify(c));
  assert.is(inputsStamp({ ...CONFIG, root: '/elsewhere', output: 'out' }, FILES), stamp);
  assert.is(inputsStamp(CONFIG, [...FILES].reverse()), stamp);
  assert.is.not(inputsStamp(CONFIG, [FILES[0]!, ['policies/b.yaml', '3'.repeat(40)]]), stamp, 'a file changed');
  assert.is.not(inputsStamp(CONFIG, [FILES[0]!, ['policies/c.yaml', '2'.repeat(40)]]), stamp, 'a file renamed');
  assert.is.not(inputsStamp(CONFIG, [FILES[0]!]), stamp, 'a file removed');
  assert.is.not(outputsStamp(FILES), stamp, 'the two stamps hash different things');
});

test('policyInputs: the files the front end reads (policy extensions only), by the blob id of what was read', async () => {
  const files = { 'policies/a.yaml': 'a: 1\n', 'policies/sub/b.json': '{}\n', 'policies/README.md': '# not a policy\n' };
  const source = new RecordingSource(memorySource(files));
  await source.read('policies/a.yaml');
  assert.equal(await policyInputs(source, 'policies'), [
    ['policies/a.yaml', gitBlobId(Buffer.from(files['policies/a.yaml']))],
    ['policies/sub/b.json', gitBlobId(Buffer.from(files['policies/sub/b.json']))],
  ]);
});

test('the stamped manifest: two comment lines after the header; parsed back; without them, the manifest of old', () => {
  const stamp = { inputs: `sha256:${'a'.repeat(64)}`, outputs: `sha256:${'b'.repeat(64)}` };
  const text = manifestText(['x.md', 'a/b.yaml'], stamp);
  assert.is(
    text,
    [
      '# Files contrail-gitops rendered into this folder; it removes them when a render no longer produces them.',
      '# Do not edit by hand.',
      `# inputs: sha256:${'a'.repeat(64)}`,
      `# outputs: sha256:${'b'.repeat(64)}`,
      'a/b.yaml',
      'x.md',
      '',
    ].join('\n'),
  );
  assert.equal(manifestStamp(text), stamp);
  assert.is(withoutStamp(text), manifestText(['x.md', 'a/b.yaml']));
  assert.is(manifestStamp(manifestText(['x.md'])), undefined);
  assert.is(manifestStamp(text.replace(/^# outputs: .*\n/m, '')), undefined, 'half a stamp is none');
});

test('writeRendered stamps the manifest with the blob ids it wrote; the same render again leaves it byte for byte; --check ignores it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-stamp-'));
  try {
    const files = new Map([
      ['contrail/vnc.json', '{}\n'],
      ['firewall-rules.md', '# rules\n'],
    ]);
    const inputs = inputsStamp(CONFIG, FILES);
    await writeRendered(dir, files, { check: false, inputs });
    const manifest = readFileSync(path.join(dir, MANIFEST), 'utf8');
    const outputs = outputsStamp([...files].map(([p, t]): BlobEntry => [p, gitBlobId(Buffer.from(t))]));
    assert.is(manifest, manifestText(files.keys(), { inputs, outputs }));

    assert.equal(await writeRendered(dir, files, { check: false, inputs }), { changed: [], removed: [], unchanged: 2 });
    assert.is(readFileSync(path.join(dir, MANIFEST), 'utf8'), manifest);

    // Other inputs with the same output: only the stamp changes, and check mode does not look at it.
    const other = inputsStamp({ ...CONFIG, podCIDR: '10.0.0.0/8' }, FILES);
    assert.equal(await writeRendered(dir, files, { check: true, inputs: other }), { changed: [], removed: [], unchanged: 2 });
    assert.is(readFileSync(path.join(dir, MANIFEST), 'utf8'), manifest);
    await writeRendered(dir, files, { check: false, inputs: other });
    assert.equal(manifestStamp(readFileSync(path.join(dir, MANIFEST), 'utf8')), { inputs: other, outputs });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
