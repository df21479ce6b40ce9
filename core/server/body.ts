import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../common/api/service-error.js';

/**
 * The request body, refused as 'too-large' past `maxBytes`: up front when Content-Length says
 * so, else as soon as the bytes received pass it. Nothing past the limit is kept; the request
 * is left open so the refusal can still be sent (the caller closes the connection after it).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new ServiceError('too-large', `request body is larger than ${maxBytes} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData).off('end', onEnd);
      reject(tooLarge());
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    // A client that hangs up mid-body ends neither with 'end' nor always with 'error'.
    const onClose = () => reject(new ServiceError('bad-message', 'the request ended before its body did'));
    req.on('data', onData).on('end', onEnd).once('error', reject).once('close', onClose);
  });
}
