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
