import { ApiError, GMS_NOT_FOUND_EXCEPTION } from '@cs/platform/core';

/** Unknown service: 400 with NotFoundException and the documented message (spec §2.9, §5 item 25). */
export const serviceNotFound = (serviceId: string): ApiError =>
  new ApiError(
    400,
    'SERVICE_NOT_FOUND',
    `There are no service found for : ${serviceId}`,
    GMS_NOT_FOUND_EXCEPTION,
  );
