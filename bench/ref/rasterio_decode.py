"""Reference decode speed: rasterio reads every band of each listed file, in one thread.

usage: rasterio_decode.py LIST_FILE
LIST_FILE holds one path per line. Prints JSON {"files", "bytes", "seconds"}; the time covers
opening and decoding only (not Python's start-up), after one untimed warm-up file.
"""
import json
import sys
import time

import rasterio


def main(list_file):
    with open(list_file) as f:
        files = [line.strip() for line in f if line.strip()]
    with rasterio.open(files[0]) as d:
        d.read()
    total = 0
    start = time.perf_counter()
    for name in files:
        with rasterio.open(name) as d:
            total += d.read().nbytes
    seconds = time.perf_counter() - start
    print(json.dumps({'files': len(files), 'bytes': total, 'seconds': seconds}))


if __name__ == '__main__':
    main(sys.argv[1])
