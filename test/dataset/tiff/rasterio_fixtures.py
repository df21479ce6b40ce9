"""Test fixtures for the GeoTIFF reader, made and read by rasterio (the reference).

usage: rasterio_fixtures.py bases DIR      write the base images DIR/base-*.tif
       rasterio_fixtures.py reference FILE...  for each FILE write FILE.json (header) and FILE.bin
                                               (all bands, band-sequential, little-endian)
"""
import json
import sys

import numpy as np
import rasterio
from rasterio.transform import from_origin

# Odd sizes so that the last strip and the right/bottom tiles are partial.
W, H = 70, 50


def smooth(rng, bands):
    y, x = np.mgrid[0:H, 0:W] / 9.0
    return np.stack([np.sin(x + b) * np.cos(0.7 * y - b) + 0.2 * rng.standard_normal((H, W)) for b in range(bands)])


def bases(out):
    rng = np.random.default_rng(7)
    geo = dict(driver='GTiff', width=W, height=H, crs='EPSG:32633', transform=from_origin(399960.0, 5100020.0, 10.0, 10.0))
    u8 = (rng.integers(0, 4, (4, H, W)) * 4 + 1).astype('uint8')
    u16 = (1500 + 900 * smooth(rng, 13)).clip(0, 65535).astype('uint16')
    f32 = (-14 + 5 * smooth(rng, 2)).astype('float32')
    f32[0, 3, 4] = np.nan
    f32[1, 40:42, 60:70] = np.nan
    with rasterio.open(f'{out}/base-u8.tif', 'w', count=4, dtype='uint8', nodata=0, **geo) as d:
        d.write(u8)
    with rasterio.open(f'{out}/base-u16.tif', 'w', count=13, dtype='uint16', **geo) as d:
        d.write(u16)
    with rasterio.open(f'{out}/base-f32.tif', 'w', count=2, dtype='float32', nodata=float('nan'), **geo) as d:
        d.write(f32)


def reference(files):
    for f in files:
        with rasterio.open(f) as d:
            a = d.read()
            t = d.transform
            header = dict(
                width=d.width, height=d.height, count=d.count, dtype=d.dtypes[0],
                epsg=d.crs.to_epsg(), transform=[t.a, t.b, t.c, t.d, t.e, t.f],
                nodata=None if d.nodata is None else ('nan' if np.isnan(d.nodata) else d.nodata),
                block=list(d.block_shapes[0]), tiled=bool(d.profile.get('tiled', False)),
                structure=d.tags(ns='IMAGE_STRUCTURE'),
            )
        with open(f + '.json', 'w') as o:
            json.dump(header, o)
        a.astype(a.dtype.newbyteorder('<')).tofile(f + '.bin')


if __name__ == '__main__':
    if sys.argv[1] == 'bases':
        bases(sys.argv[2])
    else:
        reference(sys.argv[2:])
