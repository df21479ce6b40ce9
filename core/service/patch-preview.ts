/** A patch preview (a composite, one band, a custom RGB) rendered on the service side, as a PNG (for clients that draw no pixels themselves). */
import { bandDataFromRaster } from '../preview/raster-band-data.js';
import { previewSpec } from '../common/preview/composites.js';
import { encodePng } from '../preview/png.js';
import { renderComposite } from '../common/preview/render.js';
import type { Params, RenderedPreview } from '../common/api/contract.js';
import type { OpenDataset } from './datasets.js';
import { readSensor } from './patch-data.js';
import type { DecodePool } from '../dataset/tiff/pool.js';
import { ServiceError } from '../common/api/service-error.js';

/** The raster is decoded in `pool`'s workers; only the composite is drawn here. */
export async function renderPreview(entry: OpenDataset, p: Params<'patch.preview'>, pool: DecodePool): Promise<RenderedPreview> {
  let spec;
  try {
    spec = previewSpec(p.composite);
  } catch (err) {
    throw new ServiceError('invalid-params', `params.composite: ${(err as Error).message}`);
  }
  if (p.low !== undefined && p.high !== undefined && p.low >= p.high) {
    throw new ServiceError('invalid-params', `params.low (${p.low}) must be below params.high (${p.high})`);
  }
  const raster = await readSensor(entry, p.id, spec.sensor, pool);
  const drawn = renderComposite(bandDataFromRaster(spec.sensor, raster), spec, { low: p.low, high: p.high, gamma: p.gamma });
  return {
    id: p.id,
    composite: p.composite,
    width: drawn.width,
    height: drawn.height,
    png: Buffer.from(encodePng(drawn.width, drawn.height, drawn.rgba)).toString('base64'),
    ranges: drawn.ranges,
    ...(drawn.legend ? { legend: drawn.legend } : {}),
    ...(drawn.colourBar ? { colourBar: drawn.colourBar } : {}),
  };
}
