/**
 * Parsing YAML in worker threads. Parsing is most of the front end's time on a large repository
 * (about 6 s for 10,000 policy files on one core) and each file parses alone, so a large folder is
 * parsed by a few threads while the main thread reads files and checks what comes back.
 *
 * A thread only turns text into plain values (parseYamlValues); the values come back by structured
 * clone, which keeps what a YAML value can hold (shared references of aliases included). Should a
 * thread fail, its files and every later one are parsed on the main thread: the result is the same
 * either way, only slower.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { UserError } from '../diagnostics.js';
import type { FileEntry } from './file-source.js';
import { parseYamlValues, type ValuesResult } from './yaml-file.js';

/** Threads to use (0: parse on the main thread); unset: chosen by the size of the folder and the cores. */
export const PARSE_THREADS_VARIABLE = 'CONTRAIL_GITOPS_PARSE_THREADS';
/**
 * Below this many bytes to parse, threads do not pay for themselves on two cores: measured on the
 * front end of generated repositories, 7 MiB (3,000 policies) parsed as fast either way, 13 MiB
 * (5,000) 7-25% faster in threads, 25 MiB (10,000) 25-30% faster; 2.5 MiB (1,000) was 10-20%
 * slower. So a usual folder is parsed on the main thread, and so is the second revision of a diff
 * (only what changed is parsed there).
 */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;
/** More threads than this gain little: the main thread's share of the work becomes the limit. */
const MAX_THREADS = 4;
/**
 * A pool chosen by the folder's size parses this much on the main thread before it starts its
 * threads: the working tree's side of a diff lists the whole folder but parses only the files the
 * pull request changed (it learns which by reading them), too little to pay for the threads.
 */
const WARM_UP_BYTES = 1024 * 1024;

export interface ParseRequest {
  readonly id: number;
  readonly source: string;
}

export interface ParseReply {
  readonly id: number;
  readonly result: ValuesResult;
}

/**
 * The pool for reading `files`, or undefined when they are parsed on the main thread. Throws a
 * UserError when the environment variable is set to something other than a whole number.
 */
export function parserPoolFor(files: readonly FileEntry[], env: NodeJS.ProcessEnv = process.env): YamlParserPool | undefined {
  const set = env[PARSE_THREADS_VARIABLE];
  if (set !== undefined && set !== '') {
    if (!/^\d+$/.test(set)) throw new UserError(`${PARSE_THREADS_VARIABLE} must be a whole number of threads (0 parses on the main thread), not ${JSON.stringify(set)}`);
    const threads = Number(set);
    return threads > 0 ? new YamlParserPool(threads) : undefined;
  }
  const cores = availableParallelism();
  let bytes = 0;
  for (const f of files) bytes += f.size;
  return cores > 1 && bytes >= PARALLEL_MIN_BYTES ? new YamlParserPool(Math.min(cores, MAX_THREADS), WARM_UP_BYTES) : undefined;
}

interface Pending {
  readonly source: string;
  readonly resolve: (r: ValuesResult) => void;
}

interface Thread {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

export class YamlParserPool {
  private threads: Thread[] | undefined;
  private nextId = 0;
  /** Set when a thread failed or the pool was closed: everything from then on is parsed here. */
  private stopped = false;
  /** Characters parsed on the main thread while warming up. */
  private parsedHere = 0;

  /** `size` threads, started once `warmUp` characters have been parsed on the main thread. */
  constructor(
    readonly size: number,
    private readonly warmUp = 0,
  ) {}

  /** parseYamlValues(source), on the least busy thread. Never rejects. */
  parse(source: string): Promise<ValuesResult> {
    if (this.stopped) return Promise.resolve(parseYamlValues(source));
    if (!this.threads && this.parsedHere < this.warmUp) {
      this.parsedHere += source.length;
      return Promise.resolve(parseYamlValues(source));
    }
    const threads = (this.threads ??= Array.from({ length: this.size }, () => this.start()));
    let thread = threads[0]!;
    for (const t of threads) if (t.pending.size < thread.pending.size) thread = t;
    const id = this.nextId++;
    return new Promise((resolve) => {
      thread.pending.set(id, { source, resolve });
      thread.worker.ref();
      thread.worker.postMessage({ id, source } satisfies ParseRequest);
    });
  }

  /** Stops the threads; later parses run on the main thread. */
  async close(): Promise<void> {
    const threads = this.threads ?? [];
    this.threads = [];
    this.stopped = true;
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private start(): Thread {
    const worker = startWorker();
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', (m: ParseReply) => {
      const p = thread.pending.get(m.id);
      thread.pending.delete(m.id);
      // A thread keeps the process alive while a parse waits on it, and not when it is idle, even
      // if a caller forgets close().
      if (thread.pending.size === 0) worker.unref();
      p?.resolve(m.result);
    });
    worker.on('error', (e) => this.fail(thread, e.message));
    worker.on('exit', (code) => this.fail(thread, `exit code ${code}`));
    return thread;
  }

  /** A thread stopped: its files, and every later one, are parsed here; said once, on stderr (a packaging fault shows). */
  private fail(thread: Thread, reason: string): void {
    if (!this.stopped) process.emitWarning(`the YAML parser threads stopped (${reason}): parsing on the main thread`, { code: PARSE_THREADS_VARIABLE });
    this.stopped = true;
    for (const p of thread.pending.values()) p.resolve(parseYamlValues(p.source));
    thread.pending.clear();
  }
}

/**
 * A thread running the worker's module, next to this one: parse-worker.js in the compiled library
 * and beside an Action's bundle (scripts/build-actions.mjs builds it there). Run from source (the
 * tests, through tsx) it is parse-worker.ts, and a thread does not inherit tsx's loader on Node 20,
 * so the thread registers it before importing the module.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./parse-worker.js', import.meta.url));
  const file = new URL('./parse-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(file)}); });`, { eval: true });
}
