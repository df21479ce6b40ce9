/**
 * A FAKE ServiceHost for transport tests: it validates params with the real method schemas,
 * answers app.info, pushes events on demand and confines files to one folder by real path, the
 * way the service is specified to. The real service is exercised in real-service.test.ts.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import type { EventListener, StudioEvent } from '../../core/common/api/contract.js';
import { METHOD_SCHEMAS } from '../../core/common/api/method-schemas.js';
import { ServiceError } from '../../core/common/api/service-error.js';
import type { ServiceHost } from '../../core/service/service-host.js';
import { schemaErrors } from '../../core/common/util/json-schema.js';

export const FAKE_DATASET = 'ds-fake';

export interface FakeHost extends ServiceHost {
  emit(event: StudioEvent): void;
  /** Resolves a pending 'jobs.log' call (the fake's slow method), in the order they came. */
  releaseSlow(): void;
}

export function fakeHost(datasetDir: string): FakeHost {
  const listeners = new Set<EventListener>();
  const slow: (() => void)[] = [];
  return {
    async call(method, params) {
      if (!Object.hasOwn(METHOD_SCHEMAS, method)) throw new ServiceError('unknown-method', `unknown method "${method}"`);
      const errors = schemaErrors(METHOD_SCHEMAS[method as keyof typeof METHOD_SCHEMAS], params, 'params');
      if (errors.length > 0) throw new ServiceError('invalid-params', errors.join('; '));
      if (method === 'app.info') return { apiVersion: 1, version: 'fake', mode: 'server', dataDir: '/fake' };
      if (method === 'jobs.log') {
        await new Promise<void>((done) => slow.push(done));
        return { lines: [`log of ${(params as { id: string }).id}`] };
      }
      if (method === 'settings.get') throw new Error('the fake failed');
      throw new ServiceError('not-found', `the fake does not implement ${method}`);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async resolveFile(dataset, relPath) {
      if (dataset !== FAKE_DATASET) throw new ServiceError('not-found', `no open data set "${dataset}"`);
      if (isAbsolute(relPath)) throw new ServiceError('forbidden', 'absolute path');
      const root = await realpath(datasetDir);
      const real = await realpath(resolve(root, relPath)).catch(() => {
        throw new ServiceError('not-found', `no such file: ${relPath}`);
      });
      if (!real.startsWith(root + sep)) throw new ServiceError('forbidden', `${relPath} leads outside the data set`);
      return real;
    },
    async exportedFolder() {
      throw new ServiceError('not-found', 'the fake has no exports');
    },
    emit(event) {
      for (const l of listeners) l(event);
    },
    releaseSlow() {
      slow.shift()?.();
    },
  };
}
