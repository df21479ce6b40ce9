/**
 * GDAL as the reference for the tests: rasterio (Debian's /usr/bin/python3) and gdalinfo. Both are
 * optional; tests that use them skip when `hasRasterio` / `hasGdalinfo` is false.
 */
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./rasterio_read.py', import.meta.url));

export const hasRasterio = spawnSync(PYTHON, ['-c', 'import rasterio']).status === 0;
export const hasGdalinfo = spawnSync('gdalinfo', ['--version']).status === 0;

export interface GdalRead {
  path: string;
  dtype: string;
  count: number;
  width: number;
  height: number;
  epsg: number | null;
  wkt: string | null;
  /** Affine [a, b, c, d, e, f] as rasterio orders it: x = a*col + b*row + c. */
  transform: number[];
  nodata: number | 'nan' | null;
  /** Band-sequential pixels in the machine's byte order. */
  data: Uint8Array;
  warnings: string[];
}

export function readWithRasterio(paths: string[]): Promise<GdalRead[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [SCRIPT], { maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`rasterio_read.py failed: ${stderr || err.message}`));
      const rows = JSON.parse(stdout) as (Omit<GdalRead, 'data'> & { data: string })[];
      resolve(rows.map((r) => ({ ...r, data: new Uint8Array(Buffer.from(r.data, 'base64')) })));
    });
    child.stdin!.end(JSON.stringify(paths));
  });
}

export interface GdalInfo {
  json: {
    size: [number, number];
    geoTransform?: number[];
    stac?: { 'proj:epsg'?: number | null };
    bands: { type: string; block: [number, number]; metadata?: Record<string, Record<string, string>> }[];
    metadata?: Record<string, Record<string, string>>;
  };
  stderr: string;
}

export function gdalinfo(path: string): Promise<GdalInfo> {
  return new Promise((resolve, reject) => {
    execFile('gdalinfo', ['-json', path], (err, stdout, stderr) => {
      if (err) return reject(new Error(`gdalinfo ${path} failed: ${stderr || err.message}`));
      resolve({ json: JSON.parse(stdout), stderr });
    });
  });
}
