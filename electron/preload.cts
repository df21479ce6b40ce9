/**
 * The desktop window's preload: `window.studio = { call, onEvent, pickExportFolder }` over three
 * IPC channels and nothing else (no ipcRenderer, no Node). Sandboxed preloads must be CommonJS
 * and may require only 'electron', so everything else here is a type import.
 */
import electron = require('electron');
import type { EventListener, StudioEvent } from '../core/common/api/contract.js';
import type { BRIDGE_GLOBAL, StudioBridge } from './bridge-types.js';
import type { CALL_CHANNEL, CallReply, EVENT_CHANNEL, PICK_EXPORT_FOLDER_CHANNEL } from './ipc-channels.js';

const CALL: typeof CALL_CHANNEL = 'studio:call';
const EVENT: typeof EVENT_CHANNEL = 'studio:event';
const PICK_FOLDER: typeof PICK_EXPORT_FOLDER_CHANNEL = 'studio:pick-export-folder';
const GLOBAL: typeof BRIDGE_GLOBAL = 'studio';

const listeners = new Set<EventListener>();
let nextId = 0;

// The IPC event object stays here: handing it to the page would hand over ipcRenderer.
electron.ipcRenderer.on(EVENT, (_event, payload: StudioEvent) => {
  for (const listener of listeners) {
    try {
      listener(payload);
    } catch (err) {
      // one failing subscriber must not keep the event from the others
      console.error(err);
    }
  }
});

const bridge: StudioBridge = {
  async call(method, params) {
    const reply = (await electron.ipcRenderer.invoke(CALL, { type: 'call', id: nextId++, method, params })) as CallReply;
    // Data, not an Error: see bridge-types.ts.
    if ('error' in reply) throw { code: reply.error.code, message: reply.error.message };
    return reply.result as never;
  },
  async pickExportFolder() {
    const reply = (await electron.ipcRenderer.invoke(PICK_FOLDER)) as CallReply;
    if ('error' in reply) throw { code: reply.error.code, message: reply.error.message };
    return reply.result as string | null;
  },
  onEvent(listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

electron.contextBridge.exposeInMainWorld(GLOBAL, bridge);
