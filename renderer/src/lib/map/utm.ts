import proj4 from 'proj4';

/** The proj4 definition of a WGS 84 UTM zone from its EPSG code (326zz north, 327zz south). */
export function utmProjDefinition(epsg: number): string {
  const zone = epsg % 100;
  const hemisphere = Math.floor(epsg / 100);
  if (!Number.isInteger(epsg) || (hemisphere !== 326 && hemisphere !== 327) || zone < 1 || zone > 60) {
    throw new RangeError(`EPSG:${epsg} is not a WGS 84 UTM zone (32601..32660, 32701..32760)`);
  }
  return `+proj=utm +zone=${zone}${hemisphere === 327 ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`;
}

/**
 * The patch's extent in its own UTM zone from its WGS 84 footprint ring: the patch is a square of
 * UTM pixels, so its UTM bounding box is exact, and a raster shown in that projection lands on its
 * true footprint however the ring looks in Web Mercator.
 */
export function utmExtent(epsg: number, footprint: readonly (readonly [number, number])[]): [number, number, number, number] {
  const toUtm = proj4('EPSG:4326', utmProjDefinition(epsg));
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [lon, lat] of footprint) {
    // A ring run past +-180 at the antimeridian is the same place; proj4 wants [-180, 180].
    const [x, y] = toUtm.forward([((((lon + 180) % 360) + 360) % 360) - 180, lat]);
    xs.push(x);
    ys.push(y);
  }
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
