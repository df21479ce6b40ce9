/**
 * The one online basemap the app may load (optional; the offline Natural Earth map needs no
 * network). Both content security policies allow exactly this origin for images, and the
 * renderer's tile source uses this URL, so the three cannot drift apart.
 */
export const ONLINE_TILES_ORIGIN = 'https://tile.openstreetmap.org';
export const ONLINE_TILES_URL = `${ONLINE_TILES_ORIGIN}/{z}/{x}/{y}.png`;
