/**
 * One patch for the app: its catalog row with the user's annotation, and its rasters read from
 * the data set's files (the renderer draws composites from these; the server can also render a
 * PNG preview itself).
 */
import path from 'node:path';
import { queryPatches } from '../catalog/query.js';
import { type PatchDetail } from '../common/catalog/patch-types.js';
import type { DecodePool } from '../dataset/tiff/pool.js';
import type { Raster } from '../dataset/tiff/types.js';
import { SENSOR_BANDS } from '../common/preview/band-data.js';
import type { BandArrays, BandDtype, PatchView } from '../common/api/contract.js';
import type { OpenDataset } from './datasets.js';
import { ServiceError } from '../common/api/service-error.js';

type PatchSensor = BandArrays['sensor'];

export function patchDetail(entry: OpenDataset, id: string): PatchDetail {
  const page = queryPatches(entry.catalog, { ids: [id], fields: 'full' });
  const patch = page.patches[0];
  if (!patch) throw new ServiceError('not-found', `patch ${id} is not in the catalog of ${entry.dir}`);
  return patch;
}

export function patchView(entry: OpenDataset, id: string): PatchView {
  return { ...patchDetail(entry, id), annotation: entry.annotations.patch(id) };
}

/**
 * A sensor's whole raster, read (and checked as a SEN12MS patch) from the data set's file in a
 * decode-pool worker: the service's thread only looks up the catalog row, never decodes.
 */
export async function readSensor(entry: OpenDataset, id: string, sensor: PatchSensor, pool: DecodePool): Promise<Raster> {
  const rel = patchDetail(entry, id).paths[sensor];
  if (rel === null) throw new ServiceError('not-found', `patch ${id} has no ${sensor.toUpperCase()} file in the catalog`);
  return pool.readPatch(sensor, path.join(entry.dir, rel));
}

/**
 * Base64 of each band's bytes as stored in memory. Every platform Electron and Node ship on is
 * little-endian, which is what the contract promises; no byte swapping is needed.
 */
export function bandArrays(id: string, sensor: PatchSensor, raster: Raster): BandArrays {
  return {
    id,
    sensor,
    width: raster.width,
    height: raster.height,
    bands: raster.data.map((data, i) => ({
      name: SENSOR_BANDS[sensor][raster.bands[i]],
      dtype: raster.dtype as BandDtype,
      data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'),
    })),
  };
}
