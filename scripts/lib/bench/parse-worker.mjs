// A thread of the parse-parallel stage (stages.mjs): js-yaml loadAll over the texts it is sent.
import { parentPort } from 'node:worker_threads';
import { loadAll } from 'js-yaml';

parentPort.on('message', (texts) => parentPort.postMessage(texts.reduce((n, s) => n + loadAll(s).length, 0)));
