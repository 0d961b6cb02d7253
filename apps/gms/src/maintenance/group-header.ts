import { ApiError } from '@cs/platform/core';
import type { Request } from 'express';

/** The `GroupId` header (business unit, spec §1.6), trimmed; undefined when absent or empty. */
export function groupOf(req: Request): string | undefined {
  const raw = req.headers.groupid;
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return undefined;
  if (value.length > 256)
    throw new ApiError(400, 'INVALID_GROUP', "HTTP header 'GroupId' exceeds 256 characters");
  return value;
}
