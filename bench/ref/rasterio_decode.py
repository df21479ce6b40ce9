"""Reference decode speed: rasterio reads every band of each listed file, in one thread.

Reads the paths of list files from stdin, one per line; each list file holds one image path
per line. For each list it prints one JSON line {"files", "bytes", "seconds"}: the time covers
opening and decoding only, after an untimed read of the list's first file. Staying alive
between lists lets the benchmark alternate short runs of its own reader and of rasterio.
"""
import json
import sys
import time

import rasterio


def decode(list_file):
    with open(list_file) as f:
        files = [line.strip() for line in f if line.strip()]
    with rasterio.open(files[0]) as d:
        d.read()
    total = 0
    start = time.perf_counter()
    for name in files:
        with rasterio.open(name) as d:
            total += d.read().nbytes
    return {'files': len(files), 'bytes': total, 'seconds': time.perf_counter() - start}


if __name__ == '__main__':
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(decode(line.strip())), flush=True)
