import { requireObjectBody } from '../../events/body';
import { ApiError } from '@cs/platform/core';
import { FieldReader } from '../../events/field-reader';
import { readExplicitExpiration } from './expiration';

/** Validates an Update Expiration body (spec §4.13) into the new absolute expiration. */
export function parseUpdateExpiration(body: unknown, receivedAt: number): number {
  const reader = new FieldReader(requireObjectBody(body));
  const expiresAt = readExplicitExpiration(reader, receivedAt);
  if (expiresAt === undefined)
    throw new ApiError(400, 'MISSING_FIELD', "Missing mandatory field 'ttl' or 'expiration_time'");
  return expiresAt;
}
