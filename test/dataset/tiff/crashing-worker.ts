import { parentPort } from 'node:worker_threads';
import '../../../core/dataset/tiff/decode-worker.js';

/**
 * The real decode worker, except that it dies on paths containing "crash": this listener runs
 * after the real one has queued the request, and its throw ends the thread before that runs.
 */
parentPort!.on('message', (req: { path: string }) => {
  if (req.path.includes('crash')) throw new Error('boom');
});
