"""Reference reader for the tests: reads GeoTIFFs with rasterio (GDAL) and prints what GDAL sees.

stdin: a JSON list of file paths. stdout: a JSON list, one object per file, with the pixels as
base64 of the band-sequential native-order bytes. GDAL warnings are collected per file (not
rasterio's own "not georeferenced" notice, which is expected for files without georeferencing).
"""
import base64
import json
import logging
import math
import sys
import warnings

import rasterio
from rasterio.errors import NotGeoreferencedWarning

records = []


class Collect(logging.Handler):
    def emit(self, record):
        records.append(record.getMessage())


# rasterio routes GDAL (CPL) warnings and errors to these loggers.
for name in ("rasterio", "rasterio._env", "rasterio._err"):
    logging.getLogger(name).addHandler(Collect(level=logging.WARNING))

out = []
for path in json.load(sys.stdin):
    records.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with rasterio.open(path) as ds:
            data = ds.read()
            nodata = ds.nodata
            out.append(
                {
                    "path": path,
                    "dtype": ds.dtypes[0],
                    "count": ds.count,
                    "width": ds.width,
                    "height": ds.height,
                    "epsg": ds.crs.to_epsg() if ds.crs else None,
                    "wkt": ds.crs.to_wkt() if ds.crs else None,
                    "transform": list(ds.transform)[:6],
                    "nodata": "nan" if nodata is not None and math.isnan(nodata) else nodata,
                    "data": base64.b64encode(data.tobytes()).decode("ascii"),
                    "warnings": list(records) + [str(w.message) for w in caught if w.category is not NotGeoreferencedWarning],
                }
            )
json.dump(out, sys.stdout)
