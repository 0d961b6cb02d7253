import { REQUEST_ID_HEADER } from '@cs/contracts';
import { randomUUID } from 'node:crypto';
import { currentRequestId } from '../request-context';

/** Headers every outgoing message carries: the request id of the HTTP request that caused it. */
export function outgoingHeaders(): Record<string, string> {
  return { [REQUEST_ID_HEADER]: currentRequestId() ?? randomUUID() };
}
