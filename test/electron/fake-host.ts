/**
 * A FAKE ServiceHost (not the real service): records calls and answers from a table, so the
 * transport can be tested on its own. The real service is exercised in real-service.test.ts.
 */
import type { EventListener, StudioEvent } from '../../core/common/api/contract.js';
import { ServiceError } from '../../core/common/api/service-error.js';
import type { ServiceHost } from '../../core/service/service-host.js';

export class FakeHost implements ServiceHost {
  readonly calls: [method: string, params: unknown][] = [];
  readonly listeners = new Set<EventListener>();
  /** Folders the export picker allowed. */
  readonly exportRoots: string[] = [];
  closed = 0;

  constructor(private readonly answers: Record<string, (params: unknown) => unknown> = {}) {}

  async call(method: string, params: unknown): Promise<unknown> {
    this.calls.push([method, params]);
    const answer = this.answers[method];
    if (!answer) throw new ServiceError('unknown-method', `unknown method ${JSON.stringify(method)}`);
    return answer(params);
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: StudioEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  async resolveFile(): Promise<string> {
    throw new ServiceError('not-found', 'the fake host has no files');
  }

  async exportedFolder(): Promise<never> {
    throw new ServiceError('not-found', 'the fake host has no exports');
  }

  allowExportRoot(dir: string): void {
    this.exportRoots.push(dir);
  }

  async close(): Promise<void> {
    this.closed++;
  }
}
