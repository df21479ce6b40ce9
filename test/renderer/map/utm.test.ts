import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { utmExtent, utmProjDefinition } from '../../../renderer/src/lib/map/utm.js';

/** The lon/lat corners of a 256 x 10 m UTM patch with this upper-left origin, as the catalog stores footprints. */
function footprintOf(epsg: number, x0: number, y0: number): [number, number][] {
  const toLonLat = proj4(utmProjDefinition(epsg), 'EPSG:4326');
  const size = 2560;
  return [
    [x0, y0 - size],
    [x0 + size, y0 - size],
    [x0 + size, y0],
    [x0, y0],
    [x0, y0 - size],
  ].map((p) => toLonLat.forward(p) as [number, number]);
}

describe('utmProjDefinition', () => {
  it('reads the zone and hemisphere from the EPSG code', () => {
    expect(utmProjDefinition(32631)).toBe('+proj=utm +zone=31 +datum=WGS84 +units=m +no_defs');
    expect(utmProjDefinition(32719)).toContain('+zone=19 +south');
  });

  it('refuses codes that are not WGS 84 UTM', () => {
    for (const bad of [4326, 3857, 32600, 32661, 32761]) expect(() => utmProjDefinition(bad)).toThrow(/not a WGS 84 UTM zone/);
  });
});

describe('utmExtent', () => {
  it('recovers the SEN12MS example patch (EPSG:32719, origin 391638.47, 5891800.15, near lon -70.22, lat -37.11)', () => {
    const footprint = footprintOf(32719, 391638.47, 5891800.15);
    // The facts' figures place it; a wrong zone or hemisphere would not.
    expect(footprint[3][0]).toBeCloseTo(-70.22, 1);
    expect(footprint[3][1]).toBeCloseTo(-37.11, 1);
    const [minX, minY, maxX, maxY] = utmExtent(32719, footprint);
    expect(minX).toBeCloseTo(391638.47, 2);
    expect(maxY).toBeCloseTo(5891800.15, 2);
    expect(maxX - minX).toBeCloseTo(2560, 2);
    expect(maxY - minY).toBeCloseTo(2560, 2);
  });

  it('accepts a footprint written past +180 at the antimeridian', () => {
    // Zone 60 at 65 N, 260 km east of its central meridian (177 E): past 180, so proj4 gives -177.
    const footprint = footprintOf(32660, 760000, 7200000);
    expect(footprint.some(([lon]) => lon < 0)).toBe(true);
    const shifted = footprint.map(([lon, lat]) => [lon < 0 ? lon + 360 : lon, lat] as [number, number]);
    const a = utmExtent(32660, footprint);
    const b = utmExtent(32660, shifted);
    for (let i = 0; i < 4; i++) expect(b[i]).toBeCloseTo(a[i], 3);
  });
});
