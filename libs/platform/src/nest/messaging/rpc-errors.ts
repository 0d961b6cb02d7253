import { isRpcErrorShape } from '@cs/contracts';
import { ApiError } from '../../core/api-error';

export const rpcTimeout = (subject: string, ms: number): ApiError =>
  new ApiError(504, 'UPSTREAM_TIMEOUT', `No answer to '${subject}' within ${ms} ms`);

export const noResponder = (subject: string): ApiError =>
  new ApiError(503, 'NO_RESPONDER', `No service is answering '${subject}' right now`, undefined, {
    'Retry-After': '1',
  });

/** An error answer from the remote handler keeps its status and code; anything else is a 502. */
export function remoteError(subject: string, err: unknown): ApiError {
  if (isRpcErrorShape(err)) return new ApiError(err.status, err.code, err.message);
  if (typeof err === 'string' && err.includes('no matching message handler')) return noResponder(subject);
  return new ApiError(502, 'BAD_UPSTREAM_ANSWER', `'${subject}' failed in the remote service`);
}
