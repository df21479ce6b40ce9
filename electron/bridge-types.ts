/**
 * What the desktop preload puts on `window.studio`, for the renderer to import.
 * It is the contract's ApiClient plus the desktop's native folder dialog; a call that fails rejects with a plain ServiceErrorData
 * `{code, message}` rather than an Error, because contextBridge copies only an Error's message
 * and the renderer needs the code to explain a refusal.
 */
import type { ApiClient } from '../core/common/api/contract.js';

export interface StudioBridge extends ApiClient {
  /**
   * The native folder dialog: resolves with the folder the user picked (export jobs may then
   * write there) or null when the dialog was cancelled.
   */
  pickExportFolder(): Promise<string | null>;
}

/** The global the preload defines; absent in a browser (server mode). */
export const BRIDGE_GLOBAL = 'studio';
