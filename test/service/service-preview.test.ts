/**
 * patch.preview beyond the named composites: one band of any sensor with its colour bar, and a
 * custom RGB of three S2 bands, rendered by the service from the patch's own files and checked
 * against the same common/preview rendering of patch.bands the renderer draws.
 */
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, DatasetInfo } from '../../core/common/api/contract.js';
import { SENSOR_BANDS, type BandArray, type BandData } from '../../core/common/preview/band-data.js';
import { renderComposite } from '../../core/common/preview/render.js';
import { inProcessClient } from '../../core/service/in-process-client.js';
import { createStudioService, type StudioService } from '../../core/service/service.js';
import { syntheticDataset, tempDir } from '../catalog/fixture.js';
import { cacheIn, refusal, tearDown } from './service-fixture.js';

let root: string;
let service: StudioService;
let api: ApiClient;
let info: DatasetInfo;
let id: string;

beforeAll(async () => {
  root = tempDir('service-preview');
  cacheIn(root);
  const datasetDir = await syntheticDataset(root, 1, 2);
  service = await createStudioService({
    dataDir: path.join(root, 'data'),
    mode: 'server',
    createJobProcess: () => {
      throw new Error('this test starts no job');
    },
    sampleCacheDir: path.join(root, 'cache'),
  });
  api = inProcessClient(service);
  info = await api.call('datasets.open', { dir: datasetDir });
  id = (await api.call('catalog.query', { dataset: info.id, query: {} })).patches[0].id;
}, 120_000);

afterAll(() => tearDown(service, root));

/** patch.bands as BandData, decoded the way the renderer's band-arrays.ts does. */
async function bandsOf(sensor: 's1' | 's2' | 'lc'): Promise<BandData> {
  const payload = await api.call('patch.bands', { dataset: info.id, id, sensor });
  const Arrays = { uint8: Uint8Array, uint16: Uint16Array, float32: Float32Array } as const;
  const bands: Record<string, BandArray> = {};
  for (const b of payload.bands) {
    const bytes = Buffer.from(b.data, 'base64');
    bands[b.name] = new Arrays[b.dtype](bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  return { sensor, width: payload.width, height: payload.height, bands };
}

/** The RGBA of the service's PNG (our encoder: one IDAT, filter byte 0 on every row). */
function pngPixels(png: string, width: number, height: number): Uint8Array {
  const bytes = Buffer.from(png, 'base64');
  let o = 8;
  const idat: Buffer[] = [];
  while (o < bytes.length) {
    const length = bytes.readUInt32BE(o);
    if (bytes.toString('latin1', o + 4, o + 8) === 'IDAT') idat.push(bytes.subarray(o + 8, o + 8 + length));
    o += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) out.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  return out;
}

describe('patch.preview of one band and of a custom RGB', () => {
  it('B10 through viridis: the pixels of the renderer, and a colour bar in reflectance', async () => {
    const preview = await api.call('patch.preview', { dataset: info.id, id, composite: 'band:B10', low: 2, high: 98 });
    const local = renderComposite(await bandsOf('s2'), 'band:B10', { low: 2, high: 98 });
    expect(preview.composite).toBe('band:B10');
    expect(preview.colourBar).toEqual(local.colourBar);
    expect(preview.colourBar).toMatchObject({ ramp: 'viridis', unit: 'reflectance', quantity: expect.stringMatching(/^B10 cirrus/) });
    expect(preview.colourBar!.min).toBeLessThan(preview.colourBar!.max);
    expect(preview.colourBar!.max).toBeLessThanOrEqual(6.5536);
    expect(Buffer.from(pngPixels(preview.png, preview.width, preview.height)).equals(Buffer.from(local.rgba))).toBe(true);
  });

  it('every band of every sensor renders with a colour bar in its unit', async () => {
    for (const sensor of ['s2', 's1', 'lc'] as const) {
      for (const band of SENSOR_BANDS[sensor]) {
        const preview = await api.call('patch.preview', { dataset: info.id, id, composite: `band:${band}` });
        expect(preview.colourBar?.unit, band).toBe({ s2: 'reflectance', s1: 'dB', lc: 'class' }[sensor]);
      }
    }
  });

  it('a custom RGB stretches the three bands it names, in that order', async () => {
    const preview = await api.call('patch.preview', { dataset: info.id, id, composite: 'rgb:B12,B8,B4', low: 5, high: 95 });
    const local = renderComposite(await bandsOf('s2'), 'rgb:B12,B8,B4', { low: 5, high: 95 });
    expect(preview.ranges).toEqual(local.ranges);
    const swapped = await api.call('patch.preview', { dataset: info.id, id, composite: 'rgb:B4,B8,B12', low: 5, high: 95 });
    expect(swapped.ranges).toEqual([...local.ranges].reverse());
    expect(preview.colourBar).toBeUndefined();
  });

  it('refuses a band that does not exist or a custom RGB of the wrong bands, naming the field', async () => {
    expect(await refusal(api.call('patch.preview', { dataset: info.id, id, composite: 'band:B13' }))).toMatchObject({
      code: 'invalid-params',
      message: expect.stringMatching(/^params\.composite: unknown band "B13"/),
    });
    expect(await refusal(api.call('patch.preview', { dataset: info.id, id, composite: 'rgb:B4,VV,B2' }))).toMatchObject({
      code: 'invalid-params',
      message: expect.stringMatching(/^params\.composite: "VV" in "rgb:B4,VV,B2" is not an S2 band/),
    });
  });
});
