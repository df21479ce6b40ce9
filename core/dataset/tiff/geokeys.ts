import { DatasetFileError } from '../../common/util/file-error.js';
import type { GeoKeys } from './types.js';

const GEO_KEY_DIRECTORY_TAG = 34735;
const GEO_DOUBLE_PARAMS_TAG = 34736;
const GEO_ASCII_PARAMS_TAG = 34737;

/**
 * Decodes the GeoKeyDirectory (header of 4 shorts, then 4 shorts per key: id, location tag,
 * count, value-or-offset) into values by key id, resolving ASCII and double parameters.
 */
export function parseGeoKeys(
  file: string,
  directory: ArrayLike<number> | undefined,
  asciiParams: string | undefined,
  doubleParams: ArrayLike<number> | undefined,
): GeoKeys {
  const keys: GeoKeys = {};
  if (!directory) return keys;
  const corrupt = (why: string) => new DatasetFileError(file, `corrupt GeoKeyDirectory: ${why}`);
  if (directory.length < 4) throw corrupt(`${directory.length} values, need at least 4`);
  const count = directory[3];
  if (directory.length < 4 + 4 * count) throw corrupt(`declares ${count} keys but holds ${(directory.length - 4) / 4}`);
  for (let k = 0; k < count; k++) {
    const at = 4 + 4 * k;
    const id = directory[at];
    const location = directory[at + 1];
    const n = directory[at + 2];
    const offset = directory[at + 3];
    switch (location) {
      case 0:
        keys[id] = offset;
        break;
      case GEO_ASCII_PARAMS_TAG: {
        if (asciiParams === undefined || offset + n > asciiParams.length + 1) {
          throw corrupt(`key ${id} refers to GeoAsciiParams[${offset}..${offset + n}], which is missing`);
        }
        // GDAL ends each string with '|' (counted in n); the tag's trailing NUL may be stripped.
        keys[id] = asciiParams.slice(offset, offset + n).replace(/[|\0]+$/, '');
        break;
      }
      case GEO_DOUBLE_PARAMS_TAG: {
        if (doubleParams === undefined || offset + n > doubleParams.length) {
          throw corrupt(`key ${id} refers to GeoDoubleParams[${offset}..${offset + n}], which is missing`);
        }
        keys[id] = n === 1 ? doubleParams[offset] : Array.from({ length: n }, (_, i) => doubleParams[offset + i]);
        break;
      }
      case GEO_KEY_DIRECTORY_TAG: {
        if (offset + n > directory.length) throw corrupt(`key ${id} refers to values beyond the directory`);
        keys[id] = Array.from({ length: n }, (_, i) => directory[offset + i]);
        break;
      }
      default:
        throw corrupt(`key ${id} stores its value in unsupported tag ${location}`);
    }
  }
  return keys;
}
