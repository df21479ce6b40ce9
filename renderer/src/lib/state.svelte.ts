/**
 * The renderer's shared state: one runes object every component reads and writes, so panels
 * (map, patch, training, results, export) stay in step without passing props through App.
 */
import { errorMessage } from './api/error-message.js';
import type { AppState } from './app-types.js';

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
