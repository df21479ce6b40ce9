import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../core/common/api/contract.js';
import { ServiceError } from '../../../core/common/api/service-error.js';
import { ApiError } from '../../../renderer/src/lib/api/api-error.js';
import { errorMessage } from '../../../renderer/src/lib/api/error-message.js';

describe('errorMessage', () => {
  it('keeps the service message, naming the field, after a prefix per code', () => {
    const texts = ERROR_CODES.map((code) => errorMessage({ code, message: 'query.bbox[1]: must be a latitude' }));
    for (const text of texts) expect(text).toMatch(/: query\.bbox\[1\]: must be a latitude$/);
    // Every code gets its own wording.
    expect(new Set(texts.map((t) => t.split(':')[0])).size).toBe(ERROR_CODES.length);
  });

  it('reads ServiceError and ApiError instances as well as plain {code, message}', () => {
    expect(errorMessage(new ServiceError('not-found', 'patch X is not in the catalog'))).toMatch(/^Not found: patch X is not in the catalog$/);
    expect(errorMessage(new ApiError('disconnected', 'jobs.list got no reply'))).toBe('jobs.list got no reply');
  });

  it('says something for anything else thrown', () => {
    expect(errorMessage(new TypeError('x is undefined'))).toBe('x is undefined');
    expect(errorMessage('plain string')).toBe('plain string');
    expect(errorMessage({ code: 'internal' })).toBe('Service error: no details');
  });
});
