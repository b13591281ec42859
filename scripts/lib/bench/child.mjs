/**
 * One measurement, in a fresh process: `node --expose-gc child.mjs '<json>'` loads the stage's
 * modules, prepares its input, collects garbage, then times the stage once and prints one line
 * `BENCH-RESULT {...}` with the wall time, the CPU time of the process's threads (less disturbed
 * than wall time when others share the machine), the process's RSS high-water mark
 * (`process.resourceUsage().maxRSS`, which covers the setup too: the peak of a real run up to and
 * including this stage) and the RSS just before the stage. With `profile`, the V8 CPU profiler
 * runs around the stage alone and its profile is written to that file.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { STAGES, loadModules } from './stages.mjs';

export const RESULT_PREFIX = 'BENCH-RESULT ';

async function main() {
  const { stage: name, root, projectRoot, profile } = JSON.parse(process.argv[2]);
  const stage = STAGES[name];
  if (!stage) throw new Error(`no stage ${name}`);
  const ctx = { root, projectRoot, lib: undefined, input: undefined };
  try {
    ctx.lib = await loadModules(projectRoot, stage.needs);
    ctx.input = stage.setup ? await stage.setup(ctx) : undefined;
  } catch (e) {
    if (!e.unavailable) throw e;
    return { unavailable: e.message };
  }
  globalThis.gc?.();
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;

  let session;
  if (profile) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  // Teardown even when the stage fails: some setups leave temporary repositories behind.
  let ms, cpu, counts, heapAfter;
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    counts = await stage.run(ctx);
    ms = performance.now() - t0;
    cpu = process.cpuUsage(cpu0);
    if (session) {
      const { profile: cpu } = await session.post('Profiler.stop');
      await writeFile(profile, JSON.stringify(cpu));
      session.disconnect();
    }
    heapAfter = process.memoryUsage().heapUsed;
  } finally {
    if (stage.teardown) await stage.teardown(ctx);
  }
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    counts,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    rssBeforeBytes: rssBefore,
    heapGrowthBytes: heapAfter - heapBefore,
  };
}

try {
  const result = await main();
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
} catch (e) {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ failed: e instanceof Error ? e.stack ?? e.message : String(e) })}\n`);
  process.exitCode = 1;
}
