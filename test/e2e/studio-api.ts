/** Calls the server's HTTP API (`POST /api/<method>`) with its token, for checks behind the UI's back. */
import type { Method, Params, Result } from '../../core/common/api/contract.js';
import type { StudioServer } from '../../bench/ui-server.js';

export async function apiCall<M extends Method>(server: StudioServer, method: M, params: Params<M>): Promise<Result<M>> {
  const res = await fetch(`${server.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Token ${server.token}` },
    body: JSON.stringify({ params }),
  });
  const body = (await res.json()) as { result?: Result<M>; error?: { code: string; message: string } };
  if (!res.ok || body.error) throw new Error(`${method}: ${res.status} ${body.error?.code}: ${body.error?.message}`);
  return body.result as Result<M>;
}
