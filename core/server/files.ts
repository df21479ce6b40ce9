/**
 * GET /files/<datasetId>/<relative path>: a file of an opened data set. Confinement (symlinks
 * included) is the service's resolveFile; the path syntax was already checked segment by segment.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServiceError } from '../common/api/service-error.js';
import type { ServiceHost } from '../service/service-host.js';
import { sendFile } from './send-file.js';

export async function serveDatasetFile(req: IncomingMessage, res: ServerResponse, host: ServiceHost, segments: string[]): Promise<void> {
  const [dataset, ...rel] = segments;
  if (!dataset || rel.length === 0 || rel[rel.length - 1] === '') {
    throw new ServiceError('not-found', 'expected /files/<datasetId>/<relative path of a file>');
  }
  const file = await host.resolveFile(dataset, rel.join('/'));
  await sendFile(req, res, file);
}
