/** writeRendered in real temporary folders: what ends up on disk, and what is left alone. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MANIFEST, writeRendered } from '../../src/render/write.js';

const test = suite<{ dir: string; out: string }>('writeRendered', { dir: '', out: '' });

test.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(tmpdir(), 'cg-write-'));
  ctx.out = path.join(ctx.dir, 'rendered');
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));

/** Every file under `dir`, relative, sorted. */
function tree(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tree(path.join(dir, e.name), `${prefix}${e.name}/`) : e.isFile() ? [`${prefix}${e.name}`] : []))
    .sort();
}

test('creates folders, writes every file and a manifest of what it owns', async ({ out }) => {
  const r = await writeRendered(out, files({ 'contrail/vnc.json': '{}\n', 'cn2/_global.yaml': 'a: 1\n', 'firewall-rules.md': '# x\n' }), { check: false });
  assert.equal(r, { changed: ['cn2/_global.yaml', 'contrail/vnc.json', 'firewall-rules.md'], removed: [], unchanged: 0 });
  assert.equal(tree(out), [MANIFEST, 'cn2/_global.yaml', 'contrail/vnc.json', 'firewall-rules.md']);
  assert.equal(readFileSync(path.join(out, 'contrail/vnc.json'), 'utf8'), '{}\n');
  const manifest = readFileSync(path.join(out, MANIFEST), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(manifest, ['cn2/_global.yaml', 'contrail/vnc.json', 'firewall-rules.md']);
});

test('an unchanged file is not rewritten: it keeps its mtime', async ({ out }) => {
  await writeRendered(out, files({ 'a.md': 'same\n', 'b.md': 'old\n' }), { check: false });
  const past = new Date('2001-02-03T04:05:06Z');
  for (const f of ['a.md', 'b.md']) utimesSync(path.join(out, f), past, past);
  const r = await writeRendered(out, files({ 'a.md': 'same\n', 'b.md': 'new\n' }), { check: false });
  assert.equal(r, { changed: ['b.md'], removed: [], unchanged: 1 });
  assert.equal(statSync(path.join(out, 'a.md')).mtimeMs, past.getTime());
  assert.ok(statSync(path.join(out, 'b.md')).mtimeMs > past.getTime());
  assert.equal(readFileSync(path.join(out, 'b.md'), 'utf8'), 'new\n');
});

test('a stale owned file is removed (and its emptied folder); a foreign file is kept', async ({ out }) => {
  await writeRendered(out, files({ 'cn2/shop.yaml': 's\n', 'cn2/_global.yaml': 'g\n', 'old/gone.md': 'x\n' }), { check: false });
  writeFileSync(path.join(out, 'cn2/notes.txt'), 'mine\n');
  writeFileSync(path.join(out, 'README.md'), 'mine too\n');
  const r = await writeRendered(out, files({ 'cn2/_global.yaml': 'g\n' }), { check: false });
  assert.equal(r, { changed: [], removed: ['cn2/shop.yaml', 'old/gone.md'], unchanged: 1 });
  assert.equal(tree(out), [MANIFEST, 'README.md', 'cn2/_global.yaml', 'cn2/notes.txt']);
  assert.not.ok(existsSync(path.join(out, 'old')), 'the emptied folder is gone');
});

test('check: reports what would change and writes nothing', async ({ out }) => {
  await writeRendered(out, files({ 'a.md': 'a\n', 'b.md': 'b\n' }), { check: false });
  const before = tree(out).map((f) => `${f}:${readFileSync(path.join(out, f), 'utf8')}`);
  const r = await writeRendered(out, files({ 'a.md': 'A\n', 'c.md': 'c\n' }), { check: true });
  assert.equal(r, { changed: ['a.md', 'c.md'], removed: ['b.md'], unchanged: 0 });
  assert.equal(tree(out).map((f) => `${f}:${readFileSync(path.join(out, f), 'utf8')}`), before);
  assert.equal(await writeRendered(out, files({ 'a.md': 'a\n', 'b.md': 'b\n' }), { check: true }), { changed: [], removed: [], unchanged: 2 });
});

test('check on a folder that does not exist: everything would be written, nothing is created', async ({ out }) => {
  const r = await writeRendered(out, files({ 'a.md': 'a\n' }), { check: true });
  assert.equal(r, { changed: ['a.md'], removed: [], unchanged: 0 });
  assert.not.ok(existsSync(out));
});

test('a manifest entry outside the output folder is never removed', async ({ dir, out }) => {
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(dir, 'precious.txt'), 'keep\n');
  writeFileSync(path.join(out, MANIFEST), '../precious.txt\n/etc/passwd\nsub/../../precious.txt\n');
  const r = await writeRendered(out, files({ 'a.md': 'a\n' }), { check: false });
  assert.equal(r.removed, []);
  assert.equal(readFileSync(path.join(dir, 'precious.txt'), 'utf8'), 'keep\n');
});

test('no temporary files are left behind', async ({ out }) => {
  await writeRendered(out, files({ 'x/y.md': '1\n' }), { check: false });
  await writeRendered(out, files({ 'x/y.md': '2\n' }), { check: false });
  assert.equal(tree(out), [MANIFEST, 'x/y.md']);
});

test('many files in several folders: all written (several at a time), listed sorted, an unchanged one kept', async ({ out }) => {
  const entries: Record<string, string> = {};
  for (let i = 0; i < 40; i++) entries[`${['cn2', 'contrail', 'deep/er'][i % 3]}/f${String(39 - i).padStart(2, '0')}.yaml`] = `n: ${i}\n`;
  await writeRendered(out, files({ 'cn2/f00.yaml': 'stale\n', 'cn2/f03.yaml': entries['cn2/f03.yaml']! }), { check: false });
  const r = await writeRendered(out, files(entries), { check: false });
  const expected = Object.keys(entries).filter((p) => p !== 'cn2/f03.yaml').sort();
  assert.equal(r, { changed: expected, removed: [], unchanged: 1 });
  assert.equal(tree(out), [MANIFEST, ...Object.keys(entries)].sort());
  for (const [p, text] of Object.entries(entries)) assert.is(readFileSync(path.join(out, p), 'utf8'), text, p);
});

test('files that cannot be written: the message names the first such path, whatever finishes first', async ({ out }) => {
  mkdirSync(out, { recursive: true });
  // A plain file where a folder must go: every file under it fails.
  writeFileSync(path.join(out, 'b'), 'in the way\n');
  writeFileSync(path.join(out, 'd'), 'in the way\n');
  const entries: Record<string, string> = { 'a.md': 'a\n', 'z.md': 'z\n' };
  for (let i = 0; i < 10; i++) entries[`${i % 2 ? 'd' : 'b'}/f${i}.md`] = `${i}\n`;
  try {
    await writeRendered(out, files(entries), { check: false });
    assert.unreachable('writeRendered should fail');
  } catch (e) {
    assert.match((e as Error).message, new RegExp(`^${path.join(out, 'b/f0.md').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write: `));
  }
  assert.equal(readFileSync(path.join(out, 'b'), 'utf8'), 'in the way\n');
});

test.run();
