/**
 * The renderer's shared state: one runes object every component reads and writes, so panels
 * (map, patch, training, results, export) stay in step without passing props through App.
 */
import type { DatasetInfo } from '#common/api/contract.js';
import { errorMessage } from './api/error-message.js';
import type { AppState } from './app-types.js';
import { mapTools } from './map/map-state.svelte.js';

export type { AppState, ColourBy, Overlay, OverlayFeature } from './app-types.js';

export const app: AppState = $state({
  client: null,
  dataset: null,
  selectedId: null,
  selectedIds: [],
  colourBy: 'label',
  overlay: null,
  predictions: null,
  error: null,
});

/** Shows any thrown value (an API error {code, message}, an Error, anything) in the error banner. */
export function showError(err: unknown): void {
  app.error = errorMessage(err);
}

/**
 * Makes `info` the data set every panel shows. What belonged to the previous one goes with it:
 * the selection, an evaluation's overlay and predictions, the draped preview, an error banner
 * about it. A refused open never gets here, so a refusal changes nothing but the banner.
 */
export function useDataset(info: DatasetInfo): void {
  const switching = app.dataset?.id !== info.id;
  app.dataset = info;
  app.error = null;
  if (!switching) return;
  app.selectedId = null;
  app.selectedIds = [];
  app.overlay = null;
  app.predictions = null;
  if (app.colourBy === 'prediction') app.colourBy = 'label';
  mapTools.drape = null;
  mapTools.pendingRegion = null;
  mapTools.drawing = false;
}
