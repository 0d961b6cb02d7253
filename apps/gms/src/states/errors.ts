import { ApiError, GMS_NOT_FOUND_EXCEPTION } from '@cs/platform/core';

/** Unknown state: 400 NotFoundException with the message of spec §2.9. */
export const stateNotFound = (serviceId: string, stateId: number): ApiError =>
  new ApiError(
    400,
    'STATE_NOT_FOUND',
    `There are no state found for : ${serviceId}/${stateId}`,
    GMS_NOT_FOUND_EXCEPTION,
  );
