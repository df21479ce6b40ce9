/**
 * The native folder dialog for export destinations. The service confines export jobs to its
 * exports folder and to folders the user picked here: the path comes from the dialog in the main
 * process, never from the page, so a compromised page can widen nothing by itself.
 */
import { BrowserWindow, dialog, ipcMain, type OpenDialogOptions, type WebContents } from 'electron';
import { errorData } from '../core/common/api/service-error.js';
import { senderRefusal } from './ipc.js';
import { PICK_EXPORT_FOLDER_CHANNEL, type CallReply } from './ipc-channels.js';

/** What the picker needs from the service. */
export interface ExportRoots {
  allowExportRoot(dir: string): void;
}

export interface ExportFolderOptions {
  service: ExportRoots;
  windows(): WebContents[];
}

/** Starts answering the channel; returns the function that stops it. */
export function attachExportFolderPicker({ service, windows }: ExportFolderOptions): () => void {
  ipcMain.handle(PICK_EXPORT_FOLDER_CHANNEL, async (event): Promise<CallReply> => {
    const refusal = senderRefusal(event, windows());
    if (refusal) return { error: { code: 'forbidden', message: refusal } };
    try {
      const parent = BrowserWindow.fromWebContents(event.sender);
      const options: OpenDialogOptions = { title: 'Export to folder', buttonLabel: 'Export here', properties: ['openDirectory', 'createDirectory', 'promptToCreate'] };
      const picked = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      const dir = picked.canceled ? undefined : picked.filePaths[0];
      if (!dir) return { result: null };
      service.allowExportRoot(dir);
      return { result: dir };
    } catch (err) {
      return { error: errorData(err) };
    }
  });
  return () => ipcMain.removeHandler(PICK_EXPORT_FOLDER_CHANNEL);
}
