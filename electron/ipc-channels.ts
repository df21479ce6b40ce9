/**
 * The IPC channels between the main process and the preload. The preload cannot import
 * this file at run time (a sandboxed preload may require only 'electron'), so it repeats the
 * names typed as `typeof` these constants and the compiler keeps both sides equal.
 */
import type { ServiceErrorData } from '../core/common/api/contract.js';

/** Renderer -> main, `ipcRenderer.invoke` with a wire.ts call message. */
export const CALL_CHANNEL = 'studio:call';
/** Main -> renderer, one StudioEvent per message. */
export const EVENT_CHANNEL = 'studio:event';
/** Renderer -> main: show the native folder dialog for an export destination; a CallReply of the path or null. */
export const PICK_EXPORT_FOLDER_CHANNEL = 'studio:pick-export-folder';

/**
 * Main's answer to a call. Never a thrown error: Electron reduces an error thrown from a
 * handler to its message, and the renderer needs the code.
 */
export type CallReply = { result: unknown } | { error: ServiceErrorData };
