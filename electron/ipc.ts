/**
 * The IPC adapter: renderer calls arrive on one channel, are checked (sender, then message)
 * and passed to the service; service events go out to our windows. Every answer is data
 * (CallReply), so nothing thrown in main crosses IPC as a bare message.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { StudioEvent } from '../core/common/api/contract.js';
import type { ServiceHost } from '../core/service/service-host.js';
import { errorData } from '../core/common/api/service-error.js';
import { parseCallMessage } from '../core/common/api/wire.js';
import { isAppUrl } from './app-url.js';
import { CALL_CHANNEL, EVENT_CHANNEL, type CallReply } from './ipc-channels.js';

export interface IpcAdapterOptions {
  host: ServiceHost;
  /** The webContents of our own windows: the only senders served and the receivers of events. */
  windows(): WebContents[];
}

/** Why a call from this sender is refused, or null to serve it. */
export function senderRefusal(event: IpcMainInvokeEvent, ours: WebContents[]): string | null {
  if (!ours.includes(event.sender)) return 'the call did not come from a window of this app';
  const frame = event.senderFrame;
  // A frame that navigated away or was destroyed since sending is reported as null.
  if (!frame) return 'the sending frame is gone';
  if (!isAppUrl(frame.url)) return `calls are accepted only from the app's own pages, not ${JSON.stringify(frame.url)}`;
  return null;
}

async function answer(host: ServiceHost, input: unknown): Promise<CallReply> {
  try {
    const msg = parseCallMessage(input);
    return { result: await host.call(msg.method, msg.params) };
  } catch (err) {
    return { error: errorData(err) };
  }
}

/** Starts serving; returns the function that stops it (handler removed, events unsubscribed). */
export function attachIpc({ host, windows }: IpcAdapterOptions): () => void {
  ipcMain.handle(CALL_CHANNEL, (event, input: unknown): Promise<CallReply> | CallReply => {
    const refusal = senderRefusal(event, windows());
    if (refusal) return { error: { code: 'forbidden', message: refusal } };
    return answer(host, input);
  });
  const unsubscribe = host.onEvent((event: StudioEvent) => {
    for (const contents of windows()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
    }
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    unsubscribe();
  };
}
