/** The error a request handler answers with; the caller maps `status` back to HTTP. */
export interface RpcErrorShape {
  status: number;
  code: string;
  message: string;
}

export function isRpcErrorShape(value: unknown): value is RpcErrorShape {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.status === 'number' && typeof v.code === 'string' && typeof v.message === 'string';
}
