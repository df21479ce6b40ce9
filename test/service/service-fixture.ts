import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { ServiceError } from '../../core/common/api/service-error.js';
import type { StudioService } from '../../core/service/service.js';

/** The code and message of the ServiceError a call rejects with; fails the test otherwise. */
export async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await call.then(
    () => new Error('the call was not refused'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ServiceError);
  return { code: (err as ServiceError).code, message: (err as ServiceError).message };
}

let savedCache: string | undefined;

/** Points the service's cache (the sample, catalogs of data sets) into `root` for this test file. */
export function cacheIn(root: string): void {
  savedCache = process.env.SEN12MS_STUDIO_CACHE;
  process.env.SEN12MS_STUDIO_CACHE = path.join(root, 'cache');
}

/** Closes the service, puts the cache setting back and removes `root`. */
export async function tearDown(service: StudioService | undefined, root: string): Promise<void> {
  await service?.close();
  if (savedCache === undefined) delete process.env.SEN12MS_STUDIO_CACHE;
  else process.env.SEN12MS_STUDIO_CACHE = savedCache;
  fs.rmSync(root, { recursive: true, force: true });
}
