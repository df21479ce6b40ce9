import { describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../core/common/util/file-error.js';
import { applyAffine, crsFromGeoKeys, pixelToCrsTransform } from '../../core/dataset/georef.js';
import type { GeoKeys, RasterHeader } from '../../core/dataset/tiff/types.js';

function header(extra: Partial<RasterHeader>): RasterHeader {
  return {
    width: 256,
    height: 256,
    bands: 1,
    dtype: 'uint16',
    geoKeys: { 1024: 1, 1025: 1, 3072: 32633 },
    layout: { tiled: false, blockWidth: 256, blockHeight: 1, compression: 1, predictor: 1, planarConfig: 1 },
    ...extra,
  };
}

function caught(fn: () => unknown): DatasetFileError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DatasetFileError);
    return err as DatasetFileError;
  }
  throw new Error('expected a DatasetFileError');
}

/** A user-defined Transverse Mercator on WGS 84 as GDAL writes it; parameters in degrees / metres. */
const userTm: GeoKeys = {
  1024: 1,
  1025: 1,
  2048: 32767,
  2050: 6326,
  2054: 9102,
  3072: 32767,
  3074: 32767,
  3075: 1,
  3076: 9001,
  3080: 15,
  3081: 0,
  3082: 500000,
  3083: 0,
  3092: 0.9996,
};

describe('crsFromGeoKeys', () => {
  it.each([
    [32601, 'WGS 84 / UTM zone 1N', '+proj=utm +zone=1 '],
    [32631, 'WGS 84 / UTM zone 31N', '+proj=utm +zone=31 '],
    [32660, 'WGS 84 / UTM zone 60N', '+proj=utm +zone=60 '],
    [32701, 'WGS 84 / UTM zone 1S', '+proj=utm +zone=1 +south'],
    [32719, 'WGS 84 / UTM zone 19S', '+proj=utm +zone=19 +south'],
    [32760, 'WGS 84 / UTM zone 60S', '+proj=utm +zone=60 +south'],
  ])('builds EPSG %i offline from the zone number', (epsg, name, prefix) => {
    const crs = crsFromGeoKeys({ 1024: 1, 3072: epsg }, 'a.tif');
    expect(crs.epsg).toBe(epsg);
    expect(crs.name).toBe(name);
    expect(crs.proj4.startsWith(prefix)).toBe(true);
    expect(crs.proj4).toContain('+datum=WGS84');
  });

  it('reads a geographic WGS 84 file and a pseudo-Mercator one', () => {
    expect(crsFromGeoKeys({ 1024: 2, 2048: 4326 }, 'g.tif')).toMatchObject({ epsg: 4326, name: 'WGS 84' });
    expect(crsFromGeoKeys({ 1024: 2, 2048: 4326 }, 'g.tif').proj4).toContain('+proj=longlat');
    expect(crsFromGeoKeys({ 1024: 1, 3072: 3857 }, 'm.tif').proj4).toContain('+proj=merc');
  });

  it('accepts a one-element array for a numeric key', () => {
    expect(crsFromGeoKeys({ 1024: [1], 3072: [32633] }, 'a.tif').epsg).toBe(32633);
  });

  it('refuses an EPSG code it cannot build offline, naming the file and the key', () => {
    const err = caught(() => crsFromGeoKeys({ 1024: 1, 3072: 2154 }, 'lambert.tif'));
    expect(err.file).toBe('lambert.tif');
    expect(err.reason).toMatch(/^unknown CRS: ProjectedCSTypeGeoKey 2154 is not supported offline/);
  });

  it('refuses an unknown geographic code and a geocentric model', () => {
    expect(caught(() => crsFromGeoKeys({ 1024: 2, 2048: 4283 }, 'g.tif')).reason).toContain('GeographicTypeGeoKey 4283');
    expect(caught(() => crsFromGeoKeys({ 1024: 3 }, 'g.tif')).reason).toContain('GTModelTypeGeoKey 3');
  });

  it('builds a user-defined Transverse Mercator from its parameters', () => {
    const crs = crsFromGeoKeys({ ...userTm, 3073: 'my TM|' }, 'tm.tif');
    expect(crs.epsg).toBeNull();
    expect(crs.name).toBe('my TM');
    for (const part of ['+proj=tmerc', '+lat_0=0', '+lon_0=15', '+k=0.9996', '+x_0=500000', '+y_0=0', '+datum=WGS84', '+units=m']) {
      expect(crs.proj4).toContain(part);
    }
  });

  it('converts false easting in US survey feet to metres and keeps the unit', () => {
    const crs = crsFromGeoKeys({ ...userTm, 3076: 9003, 3082: 1640416.6666666667 }, 'ft.tif');
    expect(crs.proj4).toMatch(/\+x_0=500000(\.0+\d*)? /);
    expect(crs.proj4).toContain(`+to_meter=${1200 / 3937}`);
  });

  it('builds LCC, Albers, Mercator and polar stereographic from their parameters', () => {
    const base = { 1024: 1, 3072: 32767, 2048: 4326, 3082: 0, 3083: 0 };
    const lcc = crsFromGeoKeys({ ...base, 3075: 8, 3078: 49, 3079: 44, 3084: 3, 3085: 46.5, 3086: 700000, 3087: 6600000 }, 'l.tif');
    expect(lcc.proj4).toContain('+proj=lcc +lat_1=49 +lat_2=44 +lat_0=46.5 +lon_0=3 +x_0=0 +y_0=0');
    const aea = crsFromGeoKeys({ ...base, 3075: 11, 3078: 29.5, 3079: 45.5, 3081: 23, 3080: -96 }, 'a.tif');
    expect(aea.proj4).toContain('+proj=aea +lat_1=29.5 +lat_2=45.5 +lat_0=23 +lon_0=-96');
    const merc = crsFromGeoKeys({ ...base, 3075: 7, 3080: 0, 3092: 1 }, 'm.tif');
    expect(merc.proj4).toContain('+proj=merc +lon_0=0 +k=1');
    const polarB = crsFromGeoKeys({ ...base, 3075: 15, 3081: 70, 3095: -45, 3092: 1 }, 'p.tif');
    expect(polarB.proj4).toContain('+proj=stere +lat_0=90 +lat_ts=70 +lon_0=-45');
    const polarA = crsFromGeoKeys({ ...base, 3075: 15, 3081: -90, 3095: 0, 3092: 0.994 }, 'p.tif');
    expect(polarA.proj4).toContain('+proj=stere +lat_0=-90 +lon_0=0 +k=0.994');
  });

  it('takes a user-defined ellipsoid from its axes', () => {
    const keys = { ...userTm, 2050: 32767, 2056: 32767, 2057: 6378137, 2059: 298.257223563 };
    expect(crsFromGeoKeys(keys, 'e.tif').proj4).toContain('+a=6378137 +rf=298.257223563');
  });

  it('refuses a user-defined CRS missing a parameter or a datum, naming the key', () => {
    const noLon: GeoKeys = { ...userTm };
    delete noLon[3080];
    expect(caught(() => crsFromGeoKeys(noLon, 'tm.tif')).reason).toContain('ProjNatOriginLongGeoKey (3080)');
    const noDatum: GeoKeys = { ...userTm };
    delete noDatum[2048];
    delete noDatum[2050];
    expect(caught(() => crsFromGeoKeys(noDatum, 'tm.tif')).reason).toContain('no geodetic datum or ellipsoid');
    expect(caught(() => crsFromGeoKeys({ ...userTm, 3075: 3 }, 'om.tif')).reason).toContain('ProjCoordTransGeoKey 3');
  });

  it('refuses a numeric key holding text', () => {
    expect(caught(() => crsFromGeoKeys({ 1024: 1, 3072: 'x' }, 'a.tif')).reason).toContain('ProjectedCSTypeGeoKey (3072)');
  });
});

describe('pixelToCrsTransform', () => {
  it('maps pixel corners of a PixelIsArea file from tiepoint and scale', () => {
    const t = pixelToCrsTransform(header({ tiepoint: [0, 0, 0, 500000, 4000000, 0], pixelScale: [10, 10, 0] }), 'a.tif');
    expect(applyAffine(t, 0, 0)).toEqual([500000, 4000000]);
    expect(applyAffine(t, 256, 256)).toEqual([502560, 3997440]);
  });

  it('honours a tiepoint at a pixel other than the first', () => {
    const t = pixelToCrsTransform(header({ tiepoint: [10, 20, 0, 500100, 3999800, 0], pixelScale: [10, 10, 0] }), 'a.tif');
    expect(applyAffine(t, 0, 0)).toEqual([500000, 4000000]);
  });

  it('puts the outer corner half a pixel up-left of a PixelIsPoint tiepoint', () => {
    const geoKeys = { 1024: 1, 1025: 2, 3072: 32633 };
    const t = pixelToCrsTransform(header({ geoKeys, tiepoint: [0, 0, 0, 500005, 3999995, 0], pixelScale: [10, 10, 0] }), 'p.tif');
    expect(applyAffine(t, 0, 0)).toEqual([500000, 4000000]);
    const m = pixelToCrsTransform(header({ geoKeys, transformation: [10, 0, 0, 500005, 0, -10, 0, 3999995, 0, 0, 0, 0, 0, 0, 0, 1] }), 'p.tif');
    expect(applyAffine(m, 0, 0)).toEqual([500000, 4000000]);
  });

  it('uses a rotating ModelTransformation as given', () => {
    const t = pixelToCrsTransform(header({ transformation: [8, 6, 0, 1000, 6, -8, 0, 2000, 0, 0, 0, 0, 0, 0, 0, 1] }), 'r.tif');
    expect(applyAffine(t, 1, 0)).toEqual([1008, 2006]);
    expect(applyAffine(t, 0, 1)).toEqual([1006, 1992]);
  });

  it('refuses missing georeferencing, ground control points and a zero pixel size', () => {
    expect(caught(() => pixelToCrsTransform(header({}), 'n.tif')).reason).toContain('no georeferencing');
    expect(caught(() => pixelToCrsTransform(header({ tiepoint: [0, 0, 0, 1, 2, 0, 5, 5, 0, 3, 4, 0] }), 'g.tif')).reason).toContain('ground control points');
    expect(caught(() => pixelToCrsTransform(header({ tiepoint: [0, 0, 0, 1, 2, 0], pixelScale: [0, 10, 0] }), 'z.tif')).reason).toContain('degenerate');
    expect(caught(() => pixelToCrsTransform(header({ tiepoint: [0, 0, 0, NaN, 2, 0], pixelScale: [10, 10, 0] }), 'z.tif')).reason).toContain('ModelTiepointTag');
  });
});
