/**
 * GET /exports/<job id>.zip: a finished export as one zip, for server mode where the export
 * folder is on the server (a workstation reached over SSH) and the user needs the files here.
 * Streamed file by file (yazl): a ResNet-50 export is hundreds of MB and never held in memory.
 * Weights are stored, not deflated: float tensors hardly compress and deflating them costs
 * seconds per hundred MB; the JSON files (card, model.json) are deflated.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { ServiceError } from '../common/api/service-error.js';
import type { ServiceHost } from '../service/service-host.js';
import { setSecurityHeaders } from './responses.js';

const ZIP_SUFFIX = '.zip';

export async function serveExportZip(req: IncomingMessage, res: ServerResponse, host: ServiceHost, segments: string[]): Promise<void> {
  const [name, ...rest] = segments;
  if (rest.length > 0 || !name?.endsWith(ZIP_SUFFIX)) throw new ServiceError('not-found', 'expected /exports/<export job id>.zip');
  const folder = await host.exportedFolder(name.slice(0, -ZIP_SUFFIX.length));
  const zip = new ZipFile();
  for (const file of folder.files) zip.addFile(file.path, file.name, { compress: /\.(json|txt|md)$/i.test(file.name) });
  zip.end();
  setSecurityHeaders(res);
  res.writeHead(200, {
    'Content-Type': 'application/zip',
    'Content-Disposition': `attachment; filename="${folder.downloadName}"`,
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(zip.outputStream, res);
}
