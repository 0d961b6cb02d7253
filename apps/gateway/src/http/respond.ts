import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, GMS_EXCEPTION, JSON_CONTENT_TYPE, sendError } from '@cs/platform/core';

/**
 * Response helpers for the gateway's own answers. Gateway errors carry the generic GMS `exception`
 * value (ARCHITECTURE §5: `exception` keeps the GMS meaning for GMS clients).
 */
export function fail(req: IncomingMessage, res: ServerResponse, error: ApiError): void {
  sendError(req, res, error, GMS_EXCEPTION);
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
