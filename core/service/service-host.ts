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
}
