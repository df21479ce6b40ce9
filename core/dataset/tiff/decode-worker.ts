import { parentPort } from 'node:worker_threads';
import { serializeError } from '../../util/serialized-error.js';
import { readPatch } from '../patch-reader.js';
import { summarizeTriplet } from '../triplet-summary.js';
import type { PoolRequest, PoolResponse } from './pool-messages.js';
import { readHeader, readRaster } from './reader.js';

/** A DecodePool worker: runs one request at a time, in arrival order. */

const port = parentPort;
if (!port) throw new Error('decode-worker must run as a worker thread');

async function handle(req: PoolRequest): Promise<void> {
  let response: PoolResponse;
  let transfer: ArrayBuffer[] = [];
  try {
    if (req.kind === 'header') {
      response = { id: req.id, ok: true, header: await readHeader(req.path) };
    } else if (req.kind === 'triplet') {
      response = { id: req.id, ok: true, triplet: await summarizeTriplet(req.paths) };
    } else {
      const raster = req.sensor ? await readPatch(req.sensor, req.path, req.opts) : await readRaster(req.path, req.opts);
      // Moving the pixel buffers to the caller costs nothing; copying 1.7 MB per S2 patch would.
      transfer = [...new Set(raster.data.map((a) => a.buffer as ArrayBuffer))];
      response = { id: req.id, ok: true, raster };
    }
  } catch (err) {
    response = { id: req.id, ok: false, error: serializeError(err) };
  }
  port!.postMessage(response, transfer);
}

let queue = Promise.resolve();
port.on('message', (req: PoolRequest) => {
  queue = queue.then(() => handle(req));
});
