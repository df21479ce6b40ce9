import { checkBandData, SENSOR_BANDS, SENSOR_DTYPES, type BandArray, type BandData, type Sensor } from '../common/preview/band-data.js';
import type { Raster } from '../dataset/tiff/types.js';

/** A decoded raster of one sensor's file as BandData; refuses a sample type the sensor never has. */
export function bandDataFromRaster(sensor: Sensor, raster: Raster): BandData {
  if (raster.dtype !== SENSOR_DTYPES[sensor]) {
    throw new RangeError(`${sensor} raster holds ${raster.dtype} samples, expected ${SENSOR_DTYPES[sensor]}`);
  }
  const names = SENSOR_BANDS[sensor];
  const bands: Record<string, BandArray> = {};
  raster.bands.forEach((index, k) => {
    if (index < 0 || index >= names.length) throw new RangeError(`${sensor} raster band index ${index} is out of range 0..${names.length - 1}`);
    bands[names[index]] = raster.data[k] as BandArray;
  });
  return checkBandData({ sensor, width: raster.width, height: raster.height, bands });
}
