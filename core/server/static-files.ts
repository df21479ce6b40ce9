/**
 * The built renderer. Unknown extensionless paths get index.html so the single-page app can own
 * its routes; nothing is ever listed, and a symlink in the build cannot lead outside it.
 */
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { ServiceError } from '../common/api/service-error.js';
import { htmlCsp } from './responses.js';
import { sendFile } from './send-file.js';

/** The real path of `segments` under `root` when it is a regular file inside it, else null. */
async function fileInside(root: string, segments: string[]): Promise<string | null> {
  try {
    const realRoot = await realpath(root);
    const real = await realpath(join(realRoot, ...segments));
    if (!real.startsWith(realRoot + sep)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

/**
 * The renderer's file a request path names (its real path inside `rendererDir`), index.html for
 * an unknown extensionless path, else null. Server mode and the desktop's studio:// share it.
 */
export async function rendererFile(rendererDir: string, segments: string[]): Promise<string | null> {
  const last = segments[segments.length - 1];
  const asked = last === '' ? null : await fileInside(rendererDir, segments);
  return asked ?? (extname(last) === '' ? await fileInside(rendererDir, ['index.html']) : null);
}

export async function serveStatic(req: IncomingMessage, res: ServerResponse, rendererDir: string, segments: string[], host: string): Promise<void> {
  const file = await rendererFile(rendererDir, segments);
  if (file === null) throw new ServiceError('not-found', `no such file: /${segments.join('/')}`);
  const html = extname(file) === '.html';
  await sendFile(req, res, file, html ? { csp: htmlCsp(host), cacheControl: 'no-cache' } : {});
}
