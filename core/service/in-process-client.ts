/**
 * The API for code in the same process as the service (tests, the CLI, benchmarks): the same
 * calls and events as the socket transports, with the same validation, because it goes through
 * ServiceHost.call rather than reaching into the service. Results are passed through a JSON
 * round trip so an in-process caller sees exactly what a remote one would (no shared objects,
 * no typed arrays, no undefined fields).
 */
import type { ApiClient, Method, Params, Result } from '../common/api/contract.js';
import type { ServiceHost } from './service-host.js';

export function inProcessClient(host: ServiceHost): ApiClient {
  return {
    async call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
      const result = await host.call(method, JSON.parse(JSON.stringify(params)));
      return (result === undefined ? null : JSON.parse(JSON.stringify(result))) as Result<M>;
    },
    onEvent: (listener) => host.onEvent((event) => listener(JSON.parse(JSON.stringify(event)))),
  };
}
