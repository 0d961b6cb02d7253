import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, GMS_EXCEPTION, JSON_CONTENT_TYPE, sendError, UCS_EXCEPTION } from '@cs/platform/core';
import type { Upstream } from '@cs/contracts';

/**
 * Response helpers for the gateway's own answers. An error on a path that belongs to a service
 * carries that service's `exception` value, so clients see the same body whether the gateway or the
 * service refused the request; other gateway errors carry the generic GMS value (ARCHITECTURE §5).
 */
export function fail(req: IncomingMessage, res: ServerResponse, error: ApiError, owner?: Upstream): void {
  sendError(req, res, error, owner === 'ucs' ? UCS_EXCEPTION : GMS_EXCEPTION);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The gateway's own endpoints are read-only. */
export const READ_METHODS = ['GET', 'HEAD'] as const;

export function isReadMethod(req: IncomingMessage): boolean {
  return READ_METHODS.includes(req.method as (typeof READ_METHODS)[number]);
}
