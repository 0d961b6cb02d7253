import { ApiError } from '@cs/platform/core';

export const profileNotFound = (customerId: string): ApiError =>
  new ApiError(404, 'PROFILE_NOT_FOUND', `Customer profile '${customerId.slice(0, 64)}' does not exist`);

export const unknownAttribute = (name: string): ApiError =>
  new ApiError(
    400,
    'UNKNOWN_ATTRIBUTE',
    `'${name.slice(0, 64)}' is neither a profile attribute nor a defined extension`,
  );

export const invalidAttributeValue = (name: string, reason: string): ApiError =>
  new ApiError(400, 'INVALID_ATTRIBUTE_VALUE', `Invalid value for '${name}': ${reason}`);

export const unknownExtension = (name: string): ApiError =>
  new ApiError(400, 'UNKNOWN_EXTENSION', `Extension '${name.slice(0, 64)}' is not defined`);

export const uniqueViolation = (): ApiError =>
  new ApiError(
    409,
    'UNIQUE_CONSTRAINT_VIOLATION',
    'The write would give two customers the same values of a unique identification key, or two records of one customer the same unique extension values',
  );

export const customerIdMismatch = (path: string): ApiError =>
  new ApiError(
    400,
    'CUSTOMER_ID_MISMATCH',
    `The body's customer_id differs from '${path.slice(0, 64)}' in the path`,
  );

export const extensionNotFound = (name: string): ApiError =>
  new ApiError(404, 'EXTENSION_NOT_FOUND', `Extension '${name.slice(0, 64)}' does not exist`);

export const missingParameter = (message: string): ApiError =>
  new ApiError(400, 'MISSING_PARAMETER', message);

export const malformedBody = (expected: string): ApiError =>
  new ApiError(400, 'MALFORMED_JSON', `Invalid JSON body: expected ${expected}`);
