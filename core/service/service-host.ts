import type { EventListener } from '../common/api/contract.js';

/**
 * What a transport needs from the service: untyped calls (the service validates them), events,
 * and confined file access. The WebSocket/HTTP server, the Electron IPC adapter and the
 * in-process client are all written against this.
 */
export interface ServiceHost {
  /** Validates `params` against the method's schema; rejects with a ServiceError. */
  call(method: string, params: unknown): Promise<unknown>;
  onEvent(listener: EventListener): () => void;
  /**
   * The real path of a file inside an opened data set, after resolving symlinks; rejects with
   * 'forbidden' for anything outside it (.., absolute paths, a symlink leading out) and
   * 'not-found' for a missing file or an unknown data set.
   */
  resolveFile(dataset: string, relPath: string): Promise<string>;
  /**
   * A finished export job's folder and the files it wrote, real paths checked to lie inside it
   * (for a download of the whole export): 'not-found' for an unknown job, 'invalid-params' for
   * another kind of job, 'conflict' while it has not completed.
   */
  exportedFolder(job: string): Promise<ExportedFolder>;
}

export interface ExportedFolder {
  /** Real path of the export folder. */
  dir: string;
  /** Real paths of its files, in the order the job wrote them. */
  files: { path: string; name: string }[];
  /** A file name for the download: the run, the checkpoint and the job. */
  downloadName: string;
}
