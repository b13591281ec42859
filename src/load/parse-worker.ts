/**
 * A thread of the YAML parser pool (parse-pool.ts): text in, parsed values out. The loader's other
 * work (decoding, positions, objects, validation) stays on the main thread.
 */
import { parentPort } from 'node:worker_threads';
import type { ParseReply, ParseRequest } from './parse-pool.js';
import { parseYamlValues } from './yaml-file.js';

const port = parentPort;
if (port) port.on('message', (m: ParseRequest) => port.postMessage({ id: m.id, result: parseYamlValues(m.source) } satisfies ParseReply));
