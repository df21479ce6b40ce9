import { parentPort } from 'node:worker_threads';
import '../../../core/dataset/tiff/decode-worker.js';

/**
 * The real decode worker, except that it dies on paths (for a triplet: the S2 path) containing
 * "crash": this listener runs after the real one has queued the request, and its throw ends the
 * thread before that runs.
 */
parentPort!.on('message', (req: { path?: string; paths?: { s2: string } }) => {
  if ((req.path ?? req.paths?.s2 ?? '').includes('crash')) throw new Error('boom');
});
