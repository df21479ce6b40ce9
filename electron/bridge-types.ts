/**
 * What the desktop preload puts on `window.studio`, for the renderer to import.
 * It is the contract's ApiClient; a call that fails rejects with a plain ServiceErrorData
 * `{code, message}` rather than an Error, because contextBridge copies only an Error's message
 * and the renderer needs the code to explain a refusal.
 */
import type { ApiClient } from '../core/common/api/contract.js';

export type StudioBridge = ApiClient;

/** The global the preload defines; absent in a browser (server mode). */
export const BRIDGE_GLOBAL = 'studio';
