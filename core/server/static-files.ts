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

export async function serveStatic(req: IncomingMessage, res: ServerResponse, rendererDir: string, segments: string[], host: string): Promise<void> {
  const last = segments[segments.length - 1];
  const asked = last === '' ? null : await fileInside(rendererDir, segments);
  const file = asked ?? (extname(last) === '' ? await fileInside(rendererDir, ['index.html']) : null);
  if (file === null) throw new ServiceError('not-found', `no such file: /${segments.join('/')}`);
  const html = extname(file) === '.html';
  await sendFile(req, res, file, html ? { csp: htmlCsp(host), cacheControl: 'no-cache' } : {});
}
