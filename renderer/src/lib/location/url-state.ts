/**
 * The view a URL fragment restores: `#dataset=<id>&patch=<patch id>&tab=<name>&view=<lon>,<lat>,<zoom>`
 * (the server's `token=` may sit beside them). Reload and bookmarks bring back the same data set,
 * patch, tab and map view. Unknown keys and values out of range are ignored, never an error: a
 * fragment is typed by hand or comes from an older version.
 */

export const TAB_NAMES = ['patch', 'train', 'results', 'export'] as const;
export type TabName = (typeof TAB_NAMES)[number];

export interface MapViewState {
  lon: number;
  lat: number;
  zoom: number;
}

export interface UrlState {
  dataset?: string;
  patch?: string;
  tab?: TabName;
  view?: MapViewState;
}

/** The keys this module owns; the order they are written in. */
const KEYS = ['dataset', 'patch', 'tab', 'view'] as const;
/** Longer than any data set or patch id, short enough that a fragment cannot grow without bound. */
const MAX_ID = 200;
/** OpenLayers' deepest zoom for web mercator tiles is far below this. */
const MAX_ZOOM = 28;

function parseView(text: string): MapViewState | undefined {
  const parts = text.split(',');
  if (parts.length !== 3 || parts.some((p) => p.trim() === '')) return undefined;
  const [lon, lat, zoom] = parts.map(Number);
  const ok = Number.isFinite(lon) && Number.isFinite(lat) && Number.isFinite(zoom);
  if (!ok || Math.abs(lon) > 180 || Math.abs(lat) > 90 || zoom < 0 || zoom > MAX_ZOOM) return undefined;
  return { lon, lat, zoom };
}

const idOf = (text: string | null) => (text && text.length <= MAX_ID ? text : undefined);

export function parseUrlState(hash: string): UrlState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const state: UrlState = {};
  const dataset = idOf(params.get('dataset'));
  if (dataset) state.dataset = dataset;
  const patch = idOf(params.get('patch'));
  if (patch) state.patch = patch;
  const tab = params.get('tab')?.toLowerCase();
  if (tab && (TAB_NAMES as readonly string[]).includes(tab)) state.tab = tab as TabName;
  const view = params.get('view');
  if (view !== null) {
    const parsed = parseView(view);
    if (parsed) state.view = parsed;
  }
  return state;
}

/** Enough digits for about a metre on the ground and a hundredth of a zoom level. */
function formatView(v: MapViewState): string {
  return `${v.lon.toFixed(5)},${v.lat.toFixed(5)},${v.zoom.toFixed(2)}`
    .split(',')
    .map((n) => String(Number(n)))
    .join(',');
}

/**
 * The fragment for `state`, keeping the keys of `previousHash` this module does not own (a
 * token, or keys of a newer version) in their place after ours.
 */
export function formatUrlState(state: UrlState, previousHash = ''): string {
  const params = new URLSearchParams();
  if (state.dataset) params.set('dataset', state.dataset);
  if (state.patch) params.set('patch', state.patch);
  if (state.tab) params.set('tab', state.tab);
  if (state.view) params.set('view', formatView(state.view));
  for (const [key, value] of new URLSearchParams(previousHash.replace(/^#/, ''))) {
    if (!(KEYS as readonly string[]).includes(key)) params.append(key, value);
  }
  const text = params.toString().replaceAll('%2C', ',');
  return text === '' ? '' : `#${text}`;
}

/** The fragment without one key (the token, once it is in session storage). */
export function withoutKey(hash: string, key: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.delete(key);
  const text = params.toString().replaceAll('%2C', ',');
  return text === '' ? '' : `#${text}`;
}
