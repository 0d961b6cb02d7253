import { ApiError } from '@cs/platform/core';

export type ResourceKind = 'Service' | 'State' | 'Task';

/** Spec §4.3, §4.15, §4.21, §5 item 47: ending something already ended changes nothing. */
export const alreadyCompleted = (kind: ResourceKind, id: string | number): ApiError =>
  new ApiError(400, 'ALREADY_COMPLETED', `${kind} ${id} is already completed`);

export const missingField = (field: string): ApiError =>
  new ApiError(400, 'MISSING_FIELD', `Missing mandatory field '${field}'`);

/** Spec §2.7: a PUT on a reserved field name is not an extension update. */
export const reservedExtensionName = (name: string): ApiError =>
  new ApiError(
    400,
    'RESERVED_EXTENSION_NAME',
    `'${name}' is a reserved field name and cannot be used as an extension`,
  );

export const malformedBody = (expected: string): ApiError =>
  new ApiError(400, 'MALFORMED_JSON', `Invalid JSON body: expected ${expected}`);

/** `PUT .../extensions/` without a name (spec §2.7: an empty name is a 400, not an unknown route). */
export const emptyExtensionName = (): ApiError =>
  new ApiError(400, 'INVALID_EXTENSION_NAME', 'Extension names must not be empty');
