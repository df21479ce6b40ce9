"""Writes synthetic SEN12MS-like patches for the decode benchmark.

usage: make_patches.py OUT_DIR COUNT
Writes OUT_DIR/{plain,deflate}/{s1,s2}_NNN.tif: S1 float32 x2 (dB), S2 uint16 x13, 256x256, UTM.
plain: GDAL's defaults (uncompressed, pixel-interleaved strips); deflate: TILED=YES COMPRESS=DEFLATE.
Content is smooth fields plus noise so that DEFLATE meets realistic compression ratios.
"""
import os
import sys

import numpy as np
import rasterio
from rasterio.transform import from_origin

SIZE = 256
VARIANTS = (('plain', {}), ('deflate', dict(tiled=True, compress='deflate')))


def field(rng, bands, noise):
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype('float32')
    out = np.empty((bands, SIZE, SIZE), dtype='float32')
    fx, fy, phase = rng.uniform(0.01, 0.06, 3)
    base = np.sin(fx * x + phase) * np.cos(fy * y) + 0.5 * np.sin(0.5 * fx * (x + y))
    for b in range(bands):
        out[b] = base * rng.uniform(0.6, 1.4) + rng.uniform(-0.5, 0.5) + noise * rng.standard_normal((SIZE, SIZE))
    return out


def main(out, count):
    rng = np.random.default_rng(12)
    for variant, _ in VARIANTS:
        os.makedirs(os.path.join(out, variant), exist_ok=True)
    for i in range(count):
        geo = dict(driver='GTiff', width=SIZE, height=SIZE, crs=f'EPSG:{32601 + i % 60}',
                   transform=from_origin(300000 + 2560 * i, 5000000, 10, 10))
        s1 = (-12 + 4 * field(rng, 2, 0.8)).astype('float32')
        s2 = (1500 + 600 * field(rng, 13, 0.15)).clip(0, 10000).astype('uint16')
        for variant, opts in VARIANTS:
            with rasterio.open(os.path.join(out, variant, f's1_{i:03d}.tif'), 'w', count=2, dtype='float32', **geo, **opts) as d:
                d.write(s1)
            with rasterio.open(os.path.join(out, variant, f's2_{i:03d}.tif'), 'w', count=13, dtype='uint16', **geo, **opts) as d:
                d.write(s2)


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]))
