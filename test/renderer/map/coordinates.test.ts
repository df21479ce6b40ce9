import { describe, expect, it } from 'vitest';
import { formatLonLat, formatUtm, utmCoordinate, utmZoneLabel, wrapLon } from '../../../renderer/src/lib/map/coordinates.js';

describe('cursor coordinates', () => {
  it('lon/lat to five decimals, longitudes wrapped to [-180, 180)', () => {
    expect(formatLonLat(-70.223456, -37.1100049)).toBe('lon -70.22346°, lat -37.11000°');
    expect(wrapLon(190)).toBe(-170);
    expect(wrapLon(-181)).toBe(179);
    expect(formatLonLat(540.5, 10)).toBe('lon -179.50000°, lat 10.00000°');
  });

  it("names a patch's UTM zone and hemisphere from its EPSG code", () => {
    expect(utmZoneLabel(32719)).toBe('UTM 19S (EPSG:32719)');
    expect(utmZoneLabel(32632)).toBe('UTM 32N (EPSG:32632)');
    expect(() => utmZoneLabel(3857)).toThrow(/not a WGS 84 UTM zone/);
  });

  it('gives easting and northing in the zone: the central meridian is at 500,000 m, the equator at 0 (north) or 10,000,000 m (south)', () => {
    expect(utmCoordinate(32632, 9, 0)).toEqual([500000, 0]);
    expect(utmCoordinate(32719, -69, -0.0000001)[0]).toBe(500000);
    expect(utmCoordinate(32719, -69, -0.0000001)[1]).toBe(10000000);
    // SEN12MS' example patch: origin (391638.47, 5891800.15) in EPSG:32719 lies near lon -70.22, lat -37.11
    const [e, n] = utmCoordinate(32719, -70.22, -37.11);
    expect(Math.abs(e - 391638)).toBeLessThan(1500);
    expect(Math.abs(n - 5891800)).toBeLessThan(1500);
    expect(formatUtm(32632, 9, 0)).toBe('UTM 32N (EPSG:32632) E 500000 m, N 0 m');
  });
});
